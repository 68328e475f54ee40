package dev.byoe.bench.tools;

import dev.byoe.jobs.process.LogProcessor;
import dev.byoe.logs.ProcessOptions;
import java.io.BufferedWriter;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Lines per second of {@code byoe process --preset hdfs} (read, split, mask, Drain, block sessions)
 * on HDFS_20000.log repeated to at least 2M lines, on one thread and on all cores, with and without
 * the structured per-line output. Usage: {@code DrainThroughput <HDFS_20000.log>}.
 */
public final class DrainThroughput {
    private DrainThroughput() {}

    public static void main(String[] args) throws Exception {
        Path source = Path.of(args.length > 0 ? args[0] : "../shared/data/hdfs/HDFS_20000.log");
        if (!Files.isRegularFile(source)) {
            System.out.println(
                    "HDFS_20000.log not found at " + source + "; throughput benchmark skipped.");
            return;
        }
        Path dir = Files.createTempDirectory("byoe-drain-bench");
        Path input = dir.resolve("input/hdfs-2M.log");
        Files.createDirectories(input.getParent());
        List<String> lines = Files.readAllLines(source, StandardCharsets.UTF_8);
        long total = 0;
        try (BufferedWriter w = Files.newBufferedWriter(input, StandardCharsets.UTF_8)) {
            while (total < 2_000_000) {
                for (String l : lines) {
                    w.write(l);
                    w.write('\n');
                }
                total += lines.size();
            }
        }
        int cores = Runtime.getRuntime().availableProcessors();
        System.out.printf(
                Locale.ROOT, "input: %,d lines, %.0f MB%n%n", total, Files.size(input) / 1e6);
        System.out.println("| threads | structured.csv | lines/s | seconds |");
        System.out.println("|---|---|---|---|");
        run(dir, 1, false, false);
        // Baseline in the same session: an extra mask that never matches but cannot be applied
        // token by token forces regex masking of whole lines, as before token-wise masking.
        Map<String, Object> base = run(dir, 1, false, true);
        System.out.printf(
                Locale.ROOT,
                "| 1 | off, whole-line masking (baseline) | %,d | %.2f |%n",
                (long) base.get("lines_per_second"),
                (double) base.get("seconds"));
        for (int threads : List.of(1, cores)) {
            for (boolean structured : List.of(false, true)) {
                Map<String, Object> s = run(dir, threads, structured, false);
                System.out.printf(
                        Locale.ROOT,
                        "| %d | %s | %,d | %.2f |%n",
                        threads,
                        structured ? "written" : "off",
                        (long) s.get("lines_per_second"),
                        (double) s.get("seconds"));
            }
        }
        System.gc();
        var heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        System.out.printf(
                Locale.ROOT,
                "%nheap after the runs: %.0f MB used; peak resident set: %s%n",
                heap.getUsed() / 1e6,
                peakRss());
        try (var s = Files.walk(dir)) {
            s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private static Map<String, Object> run(
            Path dir, int threads, boolean structured, boolean wholeLine) throws Exception {
        List<String> args =
                new ArrayList<>(
                        List.of(
                                "--preset",
                                "hdfs",
                                "--input",
                                dir.resolve("input").toString(),
                                "--output",
                                dir.resolve("out").toString(),
                                "--threads",
                                Integer.toString(threads),
                                "--structured",
                                Boolean.toString(structured)));
        if (wholeLine) {
            args.addAll(List.of("--mask", "\\sNEVER\\s"));
        }
        ProcessOptions o =
                ProcessOptions.parse(args.toArray(new String[0]), List.of(), dir.resolve("out"));
        return new LogProcessor(o).run();
    }

    private static String peakRss() throws Exception {
        for (String l : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (l.startsWith("VmHWM:")) {
                return l.substring(6).strip();
            }
        }
        return "unknown";
    }
}
