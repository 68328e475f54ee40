package dev.byoe.jobs.process;

import dev.byoe.core.JobFailure;
import dev.byoe.core.Json;
import dev.byoe.core.data.CsvRecordReader;
import dev.byoe.logs.Drain;
import dev.byoe.logs.LogParser;
import dev.byoe.logs.ProcessedFiles;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Puts the outputs of a sharded processing job back together: every host parsed its own files with
 * a Drain of its own and wrote them under its host name. The hosts' parsers merge into one (each
 * host's templates learned in turn, as the Spark job merges partitions), each host's events map
 * onto the merged ones, and every session's parts (one per input file, {@link
 * LogProcessor#SESSION_PARTS}) join in input order: by file name inside the input, then line. The
 * result is the files one host would have written for all the input.
 */
final class ShardJoin {
    private static final Comparator<Part> INPUT_ORDER =
            Comparator.comparing(Part::file)
                    .thenComparingLong(Part::line)
                    .thenComparingInt(Part::keyInLine);

    /** One host's events of a session in one file. */
    private record Part(String file, long line, int keyInLine, int[] events) {}

    /** One host's folder: its parser and how its events map onto the merged ones. */
    private record Host(Path folder, LogParser parser) {}

    private ShardJoin() {}

    /**
     * Joins the host folders under {@code input} (each a folder with {@value
     * LogProcessor#SESSION_PARTS}) into {@code output}.
     */
    static Map<String, Object> join(Path input, Path output, Map<String, Integer> labels)
            throws IOException {
        List<Host> hosts = hosts(input);
        LogParser first = hosts.get(0).parser();
        LogParser merged = new LogParser(first.format(), new Drain(first.drain().settings()));
        List<int[]> clusterInto = new ArrayList<>();
        for (Host host : hosts) {
            if (!host.parser().format().text().equals(first.format().text())
                    || !host.parser().drain().settings().equals(first.drain().settings())) {
                throw new JobFailure(
                        host.folder()
                                + " was parsed with other settings than "
                                + hosts.get(0).folder()
                                + "; every host of a job must use the same");
            }
            clusterInto.add(merged.drain().merge(host.parser().drain().clusters()));
        }
        merged.freeze();
        long[] occurrences = new long[merged.events().size()];
        Map<String, List<Part>> sessions = new HashMap<>();
        Map<String, Object> summary = new LinkedHashMap<>();
        long lines = 0;
        long malformed = 0;
        long withoutSession = 0;
        for (int h = 0; h < hosts.size(); h++) {
            Host host = hosts.get(h);
            int[] eventOf = new int[host.parser().events().size()];
            for (Drain.Cluster c : host.parser().drain().clusters()) {
                int hostEvent = host.parser().eventOfCluster(c.id());
                if (eventOf[hostEvent] == 0) {
                    eventOf[hostEvent] = merged.eventOfCluster(clusterInto.get(h)[c.id()]);
                }
            }
            for (String[] row : rows(host.folder().resolve(ProcessedFiles.TEMPLATES))) {
                occurrences[eventOf[event(row[0], host, ProcessedFiles.TEMPLATES)]] +=
                        Long.parseLong(row[2]);
            }
            for (String[] row : rows(host.folder().resolve(LogProcessor.SESSION_PARTS))) {
                String[] ids = row[4].isEmpty() ? new String[0] : row[4].split(" ");
                int[] events = new int[ids.length];
                for (int i = 0; i < ids.length; i++) {
                    events[i] = eventOf[event(ids[i], host, LogProcessor.SESSION_PARTS)];
                }
                sessions.computeIfAbsent(row[0], k -> new ArrayList<>())
                        .add(
                                new Part(
                                        row[1],
                                        Long.parseLong(row[2]),
                                        Integer.parseInt(row[3]),
                                        events));
            }
            var hostSummary =
                    Json.MAPPER.readTree(host.folder().resolve(ProcessedFiles.SUMMARY).toFile());
            lines += hostSummary.path("lines").asLong();
            malformed += hostSummary.path("malformed").asLong();
            withoutSession += hostSummary.path("lines_without_session").asLong();
        }
        Files.createDirectories(output);
        merged.save(output.resolve(ProcessedFiles.DRAIN));
        try (BufferedWriter w =
                Files.newBufferedWriter(
                        output.resolve(ProcessedFiles.TEMPLATES), StandardCharsets.UTF_8)) {
            ProcessedFiles.writeTemplates(w, merged.events(), occurrences);
        }
        List<Map.Entry<String, List<Part>>> ordered = new ArrayList<>(sessions.entrySet());
        ordered.forEach(e -> e.getValue().sort(INPUT_ORDER));
        ordered.sort(Comparator.comparing(e -> e.getValue().get(0), INPUT_ORDER));
        try (BufferedWriter seq =
                        Files.newBufferedWriter(
                                output.resolve(ProcessedFiles.SESSIONS), StandardCharsets.UTF_8);
                BufferedWriter counts =
                        Files.newBufferedWriter(
                                output.resolve(ProcessedFiles.EVENT_COUNTS),
                                StandardCharsets.UTF_8)) {
            ProcessedFiles.SessionWriter writer =
                    new ProcessedFiles.SessionWriter(
                            seq, counts, merged.events().size() - 1, labels);
            for (Map.Entry<String, List<Part>> e : ordered) {
                writer.write(e.getKey(), concat(e.getValue()));
            }
            summary.put("hosts", hosts.stream().map(h -> h.folder().toString()).toList());
            summary.put("lines", lines);
            summary.put("malformed", malformed);
            summary.put("events", merged.events().size() - 1);
            writer.addTo(summary, withoutSession);
        }
        Json.INDENTED.writeValue(output.resolve(ProcessedFiles.SUMMARY).toFile(), summary);
        return summary;
    }

    private static List<Host> hosts(Path input) throws IOException {
        if (!Files.isDirectory(input)) {
            throw new JobFailure("input " + input + " is not a folder of host outputs");
        }
        List<Path> folders;
        try (Stream<Path> s = Files.walk(input)) {
            folders =
                    s.filter(p -> p.getFileName().toString().equals(LogProcessor.SESSION_PARTS))
                            .map(Path::getParent)
                            .sorted(Comparator.comparing(Path::toString))
                            .toList();
        }
        if (folders.isEmpty()) {
            throw new JobFailure(
                    "no "
                            + LogProcessor.SESSION_PARTS
                            + " under "
                            + input
                            + ": join the output of a processing job on several instances, whose"
                            + " hosts each wrote one (process with session ids or windows)");
        }
        List<Host> hosts = new ArrayList<>();
        for (Path folder : folders) {
            Path drain = folder.resolve(ProcessedFiles.DRAIN);
            if (!Files.isRegularFile(drain)) {
                throw new JobFailure(folder + " has no " + ProcessedFiles.DRAIN);
            }
            hosts.add(new Host(folder, LogParser.load(drain)));
        }
        return hosts;
    }

    private static int event(String id, Host host, String file) {
        try {
            int e = Integer.parseInt(id.substring(1));
            if (id.charAt(0) == 'E' && e >= 0 && e < host.parser().events().size()) {
                return e;
            }
        } catch (NumberFormatException | StringIndexOutOfBoundsException e) {
            // reported below
        }
        throw new JobFailure(
                host.folder().resolve(file) + ": '" + id + "' is not an event of its drain.json");
    }

    private static int[] concat(List<Part> parts) {
        int n = parts.stream().mapToInt(p -> p.events().length).sum();
        int[] out = new int[n];
        int at = 0;
        for (Part p : parts) {
            System.arraycopy(p.events(), 0, out, at, p.events().length);
            at += p.events().length;
        }
        return out;
    }

    /** The rows after the header; every row must have the header's width. */
    private static List<String[]> rows(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new JobFailure("missing " + file);
        }
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            CsvRecordReader csv = new CsvRecordReader(r);
            String[] header = csv.next();
            List<String[]> out = new ArrayList<>();
            String[] row;
            while ((row = csv.next()) != null) {
                if (header == null || row.length != header.length) {
                    throw new JobFailure(
                            file
                                    + " line "
                                    + csv.recordLine()
                                    + ": "
                                    + row.length
                                    + " fields, the header has "
                                    + (header == null ? 0 : header.length));
                }
                out.add(row);
            }
            return out;
        }
    }
}
