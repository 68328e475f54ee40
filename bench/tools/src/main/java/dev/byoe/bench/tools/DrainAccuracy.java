package dev.byoe.bench.tools;

import com.fasterxml.jackson.databind.JsonNode;
import dev.byoe.core.Json;
import dev.byoe.core.data.CsvRecordReader;
import dev.byoe.logs.Drain;
import dev.byoe.logs.GroupingAccuracy;
import dev.byoe.logs.LogFormat;
import dev.byoe.logs.LogParser;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Grouping accuracy of byoe's Drain on the LogHub-2k systems with LogPAI's benchmark settings,
 * against the corrected and the original ground truth, beside the published Drain figure. Usage:
 * {@code DrainAccuracy <loghub2k folder>}; prints a Markdown table.
 */
public final class DrainAccuracy {
    private DrainAccuracy() {}

    /** Result for one system. */
    public record Row(
            String system, double corrected, double original, double published, int malformed) {}

    public static void main(String[] args) throws IOException {
        Path root = Path.of(args.length > 0 ? args[0] : "../shared/data/loghub2k");
        if (!Files.isRegularFile(root.resolve("settings.json"))) {
            System.out.println(
                    "LogHub-2k data not found at " + root + "; accuracy benchmark skipped.");
            return;
        }
        List<Row> rows = run(root);
        System.out.println(
                "| system | corrected truth | original truth | published Drain | lines not matching log_format |");
        System.out.println("|---|---|---|---|---|");
        double c = 0;
        double o = 0;
        double p = 0;
        for (Row r : rows) {
            System.out.printf(
                    Locale.ROOT,
                    "| %s | %.4f | %.4f | %.4f | %d |%n",
                    r.system(),
                    r.corrected(),
                    r.original(),
                    r.published(),
                    r.malformed());
            c += r.corrected();
            o += r.original();
            p += r.published();
        }
        int n = rows.size();
        System.out.printf(
                Locale.ROOT,
                "| **mean** | **%.4f** | **%.4f** | **%.4f** | |%n",
                c / n,
                o / n,
                p / n);
    }

    public static List<Row> run(Path root) throws IOException {
        JsonNode systems =
                Json.MAPPER.readTree(root.resolve("settings.json").toFile()).get("systems");
        List<Row> rows = new ArrayList<>();
        for (var e : systems.properties()) {
            JsonNode s = e.getValue();
            Path log = root.resolve(s.get("log_file").asText());
            if (!Files.exists(log)) {
                continue;
            }
            List<String> masks = new ArrayList<>();
            s.get("regex").forEach(r -> masks.add(r.asText()));
            LogParser parser =
                    new LogParser(
                            new LogFormat(s.get("log_format").asText()),
                            new Drain(
                                    new Drain.Settings(
                                            s.get("depth").asInt(),
                                            s.get("st").asDouble(),
                                            s.path("maxChild").asInt(100),
                                            masks)));
            List<String> parsed = parse(parser, log);
            int malformed = (int) parsed.stream().filter(x -> x.startsWith("malformed")).count();
            String base = log.toString();
            rows.add(
                    new Row(
                            e.getKey(),
                            GroupingAccuracy.of(
                                    truth(Path.of(base + "_structured_corrected.csv")), parsed),
                            GroupingAccuracy.of(truth(Path.of(base + "_structured.csv")), parsed),
                            s.get("reference_drain_grouping_accuracy").asDouble(),
                            malformed));
        }
        return rows;
    }

    /**
     * Event of every line: learned in order, named after freezing; a line not matching the format
     * is its own group.
     */
    public static List<String> parse(LogParser parser, Path log) throws IOException {
        List<Integer> clusters = new ArrayList<>();
        try (BufferedReader r = Files.newBufferedReader(log, StandardCharsets.UTF_8)) {
            String line;
            int content = parser.format().contentIndex();
            while ((line = r.readLine()) != null) {
                String[] f = parser.fields(line);
                clusters.add(f == null ? -1 : parser.learn(f[content]));
            }
        }
        parser.freeze();
        List<String> out = new ArrayList<>();
        for (int i = 0; i < clusters.size(); i++) {
            int c = clusters.get(i);
            out.add(c < 0 ? "malformed-" + i : "E" + parser.eventOfCluster(c));
        }
        return out;
    }

    /** EventId per line from a LogPAI structured CSV. */
    public static List<String> truth(Path csv) throws IOException {
        List<String> out = new ArrayList<>();
        try (BufferedReader r = Files.newBufferedReader(csv, StandardCharsets.UTF_8)) {
            CsvRecordReader reader = new CsvRecordReader(r);
            String[] header = reader.next();
            int col = List.of(header).indexOf("EventId");
            String[] rec;
            while ((rec = reader.next()) != null) {
                out.add(rec[col]);
            }
        }
        return out;
    }
}
