package dev.byoe.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.byoe.logs.GroupingAccuracy;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code byoe process} as a SageMaker processing job over LogHub's HDFS_2k sample. */
class ProcessingJobIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path LOGHUB = MlLayout.data("loghub");

    /**
     * The processing-job layout: two log files (one gzipped, one with two broken lines), labels,
     * one output.
     */
    static Path layout(Path root) throws Exception {
        List<String> lines = Files.readAllLines(LOGHUB.resolve("HDFS_2k.log"));
        Path logs = Files.createDirectories(root.resolve("processing/input/logs"));
        List<String> first = new ArrayList<>(lines.subList(0, 1000));
        first.add(500, "### not a log line");
        first.add(700, "081109 203615");
        Files.write(logs.resolve("part-1.log"), first);
        try (OutputStream out =
                new GZIPOutputStream(Files.newOutputStream(logs.resolve("part-2.log.gz")))) {
            out.write(
                    (String.join("\n", lines.subList(1000, 2000)) + "\n")
                            .getBytes(StandardCharsets.UTF_8));
        }
        Path labels = Files.createDirectories(root.resolve("processing/input/labels"));
        Files.copy(LOGHUB.resolve("HDFS_2k_block_labels.csv"), labels.resolve("labels.csv"));
        Files.createDirectories(root.resolve("config"));
        Files.writeString(
                root.resolve("config/processingjobconfig.json"),
                """
                {"ProcessingJobName": "byoe-hdfs-parse",
                 "ProcessingInputs": [
                   {"InputName": "logs", "S3Input": {"LocalPath": "%1$s/processing/input/logs",
                     "S3Uri": "s3://bucket/logs/", "S3DataDistributionType": "FullyReplicated", "S3InputMode": "File"}},
                   {"InputName": "labels", "S3Input": {"LocalPath": "%1$s/processing/input/labels",
                     "S3Uri": "s3://bucket/labels/", "S3DataDistributionType": "FullyReplicated", "S3InputMode": "File"}}],
                 "ProcessingOutputConfig": {"Outputs": [{"OutputName": "events",
                   "S3Output": {"LocalPath": "%1$s/processing/output/events", "S3Uri": "s3://bucket/events/", "S3UploadMode": "EndOfJob"}}]},
                 "ProcessingResources": {"ClusterConfig": {"InstanceCount": 1, "InstanceType": "ml.m5.large", "VolumeSizeInGB": 10}}}
                """
                        .formatted(root.toString()));
        Files.writeString(
                root.resolve("config/resourceconfig.json"),
                "{\"current_host\": \"algo-1\", \"hosts\": [\"algo-1\"]}");
        return root.resolve("processing/output/events");
    }

    @Test
    void parsesSessionsAndLabelsAsAProcessingJob(@TempDir Path root) throws Exception {
        Path out = layout(root);
        Byoe.Result r =
                Byoe.run(Map.of("BYOE_ML_ROOT", root.toString()), "process", "--preset", "hdfs");
        assertEquals(0, r.exit(), r.all());
        JsonNode summary = JSON.readTree(out.resolve("summary.json").toFile());
        assertEquals(2002, summary.get("lines").asInt());
        assertEquals(
                2,
                summary.get("malformed").asInt(),
                "counted, not fatal, not dropped from the counts");
        assertTrue(
                summary.get("malformed_examples").toString().contains("part-1.log line 501"),
                summary.toString());
        assertEquals(2200, summary.get("sessions").asInt());
        assertEquals(2200, summary.get("sessions_labelled").asInt());
        assertEquals(69, summary.get("anomalous_sessions").asInt());

        // The events written per line group the lines as well as Drain's published result.
        List<String> rows = Files.readAllLines(out.resolve("structured.csv"));
        assertEquals(2001, rows.size());
        List<String> events = new ArrayList<>();
        for (String row : rows.subList(1, rows.size())) {
            events.add(row.substring(row.lastIndexOf(',') + 1));
        }
        List<String> truth = new ArrayList<>();
        List<String> truthRows = Files.readAllLines(LOGHUB.resolve("HDFS_2k_truth.csv"));
        truthRows.subList(1, truthRows.size()).forEach(t -> truth.add(t.split(",")[1]));
        assertTrue(GroupingAccuracy.of(truth, events) >= 0.9975);

        List<String> counts = Files.readAllLines(out.resolve("event_counts.csv"));
        List<String> sessions = Files.readAllLines(out.resolve("sessions.csv"));
        assertEquals("SessionId,Label,Length,EventSequence", sessions.getFirst());
        for (int i = 1; i < sessions.size(); i++) {
            String[] s = sessions.get(i).split(",");
            String[] c = counts.get(i).split(",");
            assertEquals(s[0], c[0]);
            long sum = 0;
            for (int k = 2; k < c.length; k++) {
                sum += Long.parseLong(c[k]);
            }
            assertEquals(
                    Long.parseLong(s[2]), sum, "counts add up to the sequence length of " + s[0]);
            assertEquals(Integer.parseInt(s[2]), s[3].split(" ").length);
        }
        assertTrue(Files.isRegularFile(out.resolve("drain.json")));
        assertTrue(
                Files.readAllLines(out.resolve("templates.csv"))
                        .getFirst()
                        .equals("EventId,EventTemplate,Occurrences"));
    }

    @Test
    void onSeveralHostsEachHostWritesUnderItsOwnName(@TempDir Path root) throws Exception {
        Path out = layout(root);
        for (String host : List.of("algo-1", "algo-2")) {
            Files.writeString(
                    root.resolve("config/resourceconfig.json"),
                    "{\"current_host\": \"" + host + "\", \"hosts\": [\"algo-1\", \"algo-2\"]}");
            Byoe.Result r =
                    Byoe.run(
                            Map.of("BYOE_ML_ROOT", root.toString()), "process", "--preset", "hdfs");
            assertEquals(0, r.exit(), r.all());
        }
        for (String host : List.of("algo-1", "algo-2")) {
            for (String file : List.of("sessions.csv", "templates.csv", "summary.json")) {
                assertTrue(Files.exists(out.resolve(host).resolve(file)), host + "/" + file);
            }
        }
        assertFalse(
                Files.exists(out.resolve("summary.json")),
                "nothing under a name another host would overwrite");
    }

    @Test
    void helpPrintsTheUsageAndSucceeds(@TempDir Path root) throws Exception {
        layout(root);
        Byoe.Result r = Byoe.run(Map.of("BYOE_ML_ROOT", root.toString()), "process", "--help");
        assertEquals(0, r.exit(), r.all());
        assertTrue(r.stdout().contains("usage: byoe process"), r.all());
        for (String command :
                List.of("train", "serve", "monitor", "tune", "registry", "metric-definitions")) {
            for (String help : List.of("--help", "-h")) {
                Byoe.Result h = Byoe.run(Map.of("BYOE_ML_ROOT", root.toString()), command, help);
                assertEquals(0, h.exit(), command + " " + help + ": " + h.all());
                assertTrue(h.stdout().contains("usage:"), command + ": " + h.all());
            }
        }
        assertFalse(Files.exists(root.resolve("output/message")), "help is not a failed job");
        assertFalse(Files.exists(root.resolve("output/failure")), "help is not a failed job");
    }

    @Test
    void aBadOptionWritesTheExitMessage(@TempDir Path root) throws Exception {
        layout(root);
        Byoe.Result r =
                Byoe.run(
                        Map.of("BYOE_ML_ROOT", root.toString()),
                        "process",
                        "--preset",
                        "hdfs",
                        "--st",
                        "high");
        assertNotEquals(0, r.exit());
        assertTrue(
                Files.readString(root.resolve("output/message"))
                        .contains("Invalid value for option '--st': 'high' is not a double"));
    }

    /**
     * A processing job on 3 instances with ShardedByS3Key: 6 files of HDFS_20000, each host holding
     * every third (so no host's files are contiguous), then {@code process-join} over the job's
     * output prefix: the joined sessions are the sessions of one host parsing all 6 files.
     */
    @Test
    void threeShardsJoinToTheSessionsOfOneHost(@TempDir Path root) throws Exception {
        List<String> lines = new ArrayList<>();
        try (var in =
                new java.io.BufferedReader(
                        new java.io.InputStreamReader(
                                new java.util.zip.GZIPInputStream(
                                        Files.newInputStream(
                                                MlLayout.data("hdfs")
                                                        .resolve("HDFS_20000.log.gz"))),
                                StandardCharsets.UTF_8))) {
            in.lines().forEach(lines::add);
        }
        Path labels = MlLayout.data("hdfs").resolve("HDFS_20000_block_labels.csv");
        Path all = Files.createDirectories(root.resolve("all/logs"));
        Path shared = root.resolve("s3/processed");
        List<String> hosts = List.of("algo-1", "algo-2", "algo-3");
        for (int f = 0; f < 6; f++) {
            List<String> part = lines.subList(f * lines.size() / 6, (f + 1) * lines.size() / 6);
            String name = "part-" + f + ".log";
            Files.write(all.resolve(name), part);
            Path host = root.resolve(hosts.get(f % 3));
            Files.write(
                    Files.createDirectories(host.resolve("processing/input/logs")).resolve(name),
                    part);
        }
        for (String host : hosts) {
            Path h = root.resolve(host);
            Files.createDirectories(h.resolve("config"));
            Files.writeString(
                    h.resolve("config/processingjobconfig.json"),
                    """
                    {"ProcessingInputs": [{"InputName": "logs", "S3Input": {"LocalPath": "%s",
                       "S3Uri": "s3://bucket/logs/", "S3DataDistributionType": "ShardedByS3Key"}}],
                     "ProcessingOutputConfig": {"Outputs": [{"OutputName": "events",
                       "S3Output": {"LocalPath": "%s", "S3Uri": "s3://bucket/processed/"}}]}}
                    """
                            .formatted(h.resolve("processing/input/logs"), shared));
            Files.writeString(
                    h.resolve("config/resourceconfig.json"),
                    "{\"current_host\": \""
                            + host
                            + "\", \"hosts\": [\"algo-1\", \"algo-2\", \"algo-3\"]}");
            Byoe.Result r =
                    Byoe.run(Map.of("BYOE_ML_ROOT", h.toString()), "process", "--preset", "hdfs");
            assertEquals(0, r.exit(), r.all());
            assertTrue(Files.isRegularFile(shared.resolve(host).resolve("session_parts.csv")));
        }
        Path joined = root.resolve("joined");
        Byoe.Result j =
                Byoe.run(
                        Map.of("BYOE_ML_ROOT", root.resolve("join").toString()),
                        "process-join",
                        "--input",
                        shared.toString(),
                        "--labels",
                        labels.toString(),
                        "--output",
                        joined.toString());
        assertEquals(0, j.exit(), j.all());
        assertTrue(j.all().contains("3 hosts"), j.all());
        Path one = root.resolve("one");
        Byoe.Result p =
                Byoe.run(
                        Map.of(),
                        "process",
                        "--preset",
                        "hdfs",
                        "--input",
                        all.toString(),
                        "--labels",
                        labels.toString(),
                        "--output",
                        one.toString());
        assertEquals(0, p.exit(), p.all());
        List<List<String>> expected = sessionTemplates(one);
        assertEquals(1782, expected.size());
        assertEquals(expected, sessionTemplates(joined), "same sessions, labels, events, order");
        JsonNode a = JSON.readTree(one.resolve("summary.json").toFile());
        JsonNode b = JSON.readTree(joined.resolve("summary.json").toFile());
        for (String key : List.of("lines", "events", "sessions", "anomalous_sessions")) {
            assertEquals(a.get(key), b.get(key), key);
        }
        // What the join cannot use is refused, with the reason where SageMaker shows it.
        Byoe.Result bad =
                Byoe.run(
                        Map.of("BYOE_ML_ROOT", root.resolve("join").toString()),
                        "process-join",
                        "--input",
                        one.toString(),
                        "--output",
                        root.resolve("bad").toString());
        assertEquals(1, bad.exit(), bad.all());
        assertTrue(
                Files.readString(root.resolve("join/output/message"))
                        .contains("session_parts.csv"));
    }

    /** Each session's id, label and events as template text, in file order. */
    private static List<List<String>> sessionTemplates(Path out) throws Exception {
        Map<String, String> templates = new java.util.HashMap<>();
        List<String> rows = Files.readAllLines(out.resolve("templates.csv"));
        for (String row : rows.subList(1, rows.size())) {
            String[] f = row.split(",", 2);
            templates.put(f[0], f[1].substring(0, f[1].lastIndexOf(',')));
        }
        List<List<String>> sessions = new ArrayList<>();
        List<String> lines = Files.readAllLines(out.resolve("sessions.csv"));
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split(",");
            List<String> s = new ArrayList<>(List.of(f[0], f[1]));
            for (String e : f[3].split(" ")) {
                s.add(templates.getOrDefault(e, e));
            }
            sessions.add(s);
        }
        return sessions;
    }
}
