package dev.byoe.app;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * The hosts of one training job as JVMs of the real jar on this machine: {@code algo-1}..{@code
 * algo-N}, each with its own {@code /opt/ml}, finding the leader through the test-only {@code
 * BYOE_HOST_ADDRESSES} (loopback and a free port) instead of by name.
 */
final class Hosts {
    interface Setup {
        void on(MlLayout ml, int index) throws IOException;
    }

    final List<String> names = new ArrayList<>();
    final List<MlLayout> layouts = new ArrayList<>();
    private final List<Process> processes = new ArrayList<>();
    private final List<Path> outs = new ArrayList<>();
    private final List<Path> errs = new ArrayList<>();
    private final String addresses;

    Hosts(Path dir, int count, Setup setup) throws IOException {
        for (int i = 1; i <= count; i++) {
            names.add("algo-" + i);
        }
        StringJoiner a = new StringJoiner(",");
        for (String n : names) {
            a.add(n + "=127.0.0.1:" + freePort());
        }
        addresses = a.toString();
        for (int i = 0; i < count; i++) {
            MlLayout ml = new MlLayout(dir.resolve(names.get(i))).host(names.get(i), names);
            setup.on(ml, i);
            layouts.add(ml);
        }
    }

    /** Starts every host's {@code byoe train}. */
    Hosts start() throws IOException {
        for (int i = 0; i < layouts.size(); i++) {
            start(i);
        }
        return this;
    }

    void start(int i) throws IOException {
        Path out = Files.createTempFile("host-out", ".txt");
        Path err = Files.createTempFile("host-err", ".txt");
        Process p =
                Byoe.command(
                                Map.of(
                                        "BYOE_ML_ROOT",
                                        layouts.get(i).root.toString(),
                                        "BYOE_HOST_ADDRESSES",
                                        addresses),
                                "train")
                        .redirectOutput(out.toFile())
                        .redirectError(err.toFile())
                        .start();
        while (processes.size() <= i) {
            processes.add(null);
            outs.add(null);
            errs.add(null);
        }
        processes.set(i, p);
        outs.set(i, out);
        errs.set(i, err);
    }

    /** Waits for every host; their results in host order. */
    List<Byoe.Result> await() throws Exception {
        List<Byoe.Result> results = new ArrayList<>();
        for (int i = 0; i < processes.size(); i++) {
            results.add(await(i));
        }
        return results;
    }

    Byoe.Result await(int i) throws Exception {
        Process p = processes.get(i);
        if (!p.waitFor(4, TimeUnit.MINUTES)) {
            processes.forEach(Process::destroyForcibly);
            throw new AssertionError(names.get(i) + " did not finish in 4 minutes: " + err(i));
        }
        return new Byoe.Result(p.exitValue(), out(i), err(i));
    }

    /** Waits until host {@code i}'s log shows {@code seen}. */
    void awaitLog(int i, Predicate<String> seen, String what) throws Exception {
        await(i, () -> err(i), seen, what);
    }

    /** Waits until host {@code i}'s standard output (metric lines) shows {@code seen}. */
    void awaitOut(int i, Predicate<String> seen, String what) throws Exception {
        await(i, () -> out(i), seen, what);
    }

    private interface Text {
        String read() throws IOException;
    }

    private void await(int i, Text text, Predicate<String> seen, String what) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
        while (!seen.test(text.read())) {
            if (System.nanoTime() > deadline || !processes.get(i).isAlive()) {
                throw new AssertionError(names.get(i) + " never showed " + what + ": " + err(i));
            }
            Thread.sleep(100);
        }
    }

    Process process(int i) {
        return processes.get(i);
    }

    String out(int i) throws IOException {
        return Files.readString(outs.get(i), StandardCharsets.UTF_8);
    }

    String err(int i) throws IOException {
        return Files.readString(errs.get(i), StandardCharsets.UTF_8);
    }

    void destroy() {
        processes.stream().filter(p -> p != null).forEach(Process::destroyForcibly);
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
