package dev.byoe.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.byoe.core.data.CsvRecordReader;
import dev.byoe.logs.GroupingAccuracy;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Spark job from its jar, through spark-submit in local mode on Java 17, against {@code byoe
 * process} (dist/byoe.jar) on the same input: same sessions, same grouping accuracy, and files that
 * {@code train} takes unchanged.
 */
class SparkProcessingIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path DATA = Jvms.root().resolve("data");

    @Test
    void hdfs20000GivesTheSessionsOfProcessAndTrains(@TempDir Path tmp) throws Exception {
        Path spark = tmp.resolve("spark");
        Path single = tmp.resolve("single");
        Path log = DATA.resolve("hdfs/HDFS_20000.log.gz");
        Path labels = DATA.resolve("hdfs/HDFS_20000_block_labels.csv");
        bothRoutes(
                List.of(
                        "--preset",
                        "hdfs",
                        "--input",
                        log.toString(),
                        "--labels",
                        labels.toString()),
                4,
                spark,
                single);

        JsonNode sparkSummary = JSON.readTree(spark.resolve("summary.json").toFile());
        JsonNode singleSummary = JSON.readTree(single.resolve("summary.json").toFile());
        assertEquals(4, sparkSummary.get("partitions").asInt(), sparkSummary.toString());
        assertEquals("3.5.6", sparkSummary.get("spark_version").asText());
        for (String key :
                List.of(
                        "lines",
                        "malformed",
                        "events",
                        "sessions",
                        "sessions_labelled",
                        "anomalous_sessions",
                        "unknown_event_lines")) {
            assertEquals(singleSummary.get(key), sparkSummary.get(key), key);
        }
        assertEquals(20000, sparkSummary.get("lines").asLong());
        assertEquals(templates(single), templates(spark), "the same templates and line counts");
        List<List<String>> expected = sessions(single);
        List<List<String>> actual = sessions(spark);
        assertEquals(1782, expected.size());
        assertEquals(expected, actual, "same sessions, labels and template sequences, same order");
        assertEquals(
                Files.readAllLines(single.resolve("event_counts.csv")).size(),
                Files.readAllLines(spark.resolve("event_counts.csv")).size());
        assertEquals(
                Files.readAllLines(single.resolve("structured.csv")).size(),
                Files.readAllLines(spark.resolve("structured.csv")).size());

        // train takes the Spark job's files unchanged, and the model parses raw lines with them.
        Path ml = tmp.resolve("ml");
        trainingLayout(ml, spark);
        Jvms.Result t = Jvms.byoe(Map.of("BYOE_ML_ROOT", ml.toString()), "train");
        assertEquals(0, t.exit(), t.output());
        assertTrue(Files.isRegularFile(ml.resolve("model/drain.json")));
        JsonNode manifest = JSON.readTree(ml.resolve("model/manifest.json").toFile());
        assertEquals("blk_-?\\d+", manifest.get("session_id_regex").asText(), manifest.toString());
    }

    @Test
    void filesInOrderBrokenLinesCountedAsProcessDoes(@TempDir Path tmp) throws Exception {
        List<String> lines = Files.readAllLines(DATA.resolve("loghub/HDFS_2k.log"));
        Path in = Files.createDirectories(tmp.resolve("in/logs"));
        // Written so that listing order differs from name order; a hidden file is not input.
        List<String> second = new ArrayList<>(lines.subList(1000, 2000));
        second.add(300, "### not a log line");
        try (OutputStream out =
                new GZIPOutputStream(Files.newOutputStream(in.resolve("b-part.log.gz")))) {
            out.write((String.join("\n", second) + "\n").getBytes(StandardCharsets.UTF_8));
        }
        Files.write(in.resolve("a-part.log"), lines.subList(0, 1000));
        Files.writeString(in.resolve(".hidden.log"), "081109 203615 148 INFO x: hidden blk_1\n");
        Path spark = tmp.resolve("spark");
        Path single = tmp.resolve("single");
        bothRoutes(
                List.of("--preset", "hdfs", "--input", tmp.resolve("in").toString()),
                3,
                spark,
                single);
        JsonNode summary = JSON.readTree(spark.resolve("summary.json").toFile());
        assertEquals(2001, summary.get("lines").asInt());
        assertEquals(1, summary.get("malformed").asInt());
        assertTrue(
                summary.get("malformed_examples").get(0).asText().contains("b-part.log.gz"),
                summary.toString());
        assertEquals(2, summary.get("files").size(), summary.toString());
        assertEquals(sessions(single), sessions(spark));
    }

    @Test
    void timeWindowsGiveTheSessionsOfProcess(@TempDir Path tmp) throws Exception {
        Path spark = tmp.resolve("spark");
        Path single = tmp.resolve("single");
        bothRoutes(
                List.of(
                        "--log-format",
                        "<Date> <Time> <Pid> <Level> <Component>: <Content>",
                        "--mask",
                        "blk_-?\\d+",
                        "--window",
                        "sliding:120:60",
                        "--time-fields",
                        "Date,Time",
                        "--time-format",
                        "yyMMdd HHmmss",
                        "--input",
                        DATA.resolve("loghub/HDFS_2k.log").toString()),
                4,
                spark,
                single);
        List<List<String>> expected = sessions(single);
        assertTrue(expected.size() > 10, "windows: " + expected.size());
        assertEquals(expected, sessions(spark), "same windows, same events in line order");
    }

    @Test
    void groupsTheTwelveLogHubSystemsAsProcessDoes(@TempDir Path tmp) throws Exception {
        Path loghub = DATA.resolve("loghub/loghub2k");
        JsonNode systems = JSON.readTree(loghub.resolve("settings.json").toFile()).get("systems");
        double sparkSum = 0;
        double singleSum = 0;
        StringBuilder table = new StringBuilder("system | process | spark (4 partitions)\n");
        for (var e : systems.properties()) {
            JsonNode s = e.getValue();
            String name = Path.of(s.get("log_file").asText()).getFileName().toString();
            List<String> args = new ArrayList<>();
            args.addAll(List.of("--input", loghub.resolve(name + ".gz").toString()));
            args.addAll(List.of("--log-format", s.get("log_format").asText()));
            args.addAll(List.of("--st", s.get("st").asText(), "--depth", s.get("depth").asText()));
            for (JsonNode mask : s.get("regex")) {
                args.addAll(List.of("--mask", mask.asText()));
            }
            Path spark = tmp.resolve(e.getKey() + "-spark");
            Path single = tmp.resolve(e.getKey() + "-single");
            bothRoutes(args, 4, spark, single);
            assertEquals(
                    4,
                    JSON.readTree(spark.resolve("summary.json").toFile())
                            .get("partitions")
                            .asInt());
            List<String> truth = truth(loghub.resolve(name + "_events.csv.gz"));
            double a = GroupingAccuracy.of(truth, events(spark, truth.size()));
            double b = GroupingAccuracy.of(truth, events(single, truth.size()));
            table.append(String.format(Locale.ROOT, "%s | %.4f | %.4f%n", e.getKey(), b, a));
            assertTrue(Math.abs(a - b) <= 0.01, e.getKey() + ": spark " + a + ", process " + b);
            sparkSum += a;
            singleSum += b;
        }
        System.out.println(table);
        int n = systems.size();
        assertEquals(12, n);
        assertTrue(
                Math.abs(sparkSum / n - singleSum / n) <= 0.01,
                "mean: spark " + sparkSum / n + ", process " + singleSum / n);
        assertTrue(singleSum / n > 0.85, "process's mean grouping accuracy " + singleSum / n);
    }

    @Test
    void aBadInputFailsWithTheReasonInTheFailureFile(@TempDir Path tmp) throws Exception {
        Path ml = Files.createDirectories(tmp.resolve("ml/output")).getParent();
        Jvms.Result r =
                Jvms.sparkSubmit(
                        1,
                        Map.of("BYOE_ML_ROOT", ml.toString()),
                        List.of(
                                "--input",
                                tmp.resolve("nowhere").toString(),
                                "--output",
                                tmp.resolve("out").toString()));
        assertEquals(1, r.exit(), r.output());
        String message = Files.readString(ml.resolve("output/message"));
        assertTrue(message.contains("nowhere") && message.contains("does not exist"), message);

        r =
                Jvms.sparkSubmit(
                        1,
                        Map.of("BYOE_ML_ROOT", ml.toString()),
                        List.of(
                                "--input",
                                DATA.resolve("loghub/HDFS_2k.log").toString(),
                                "--window",
                                "fixed:60",
                                "--output",
                                tmp.resolve("out").toString()));
        assertEquals(1, r.exit(), r.output());
        message = Files.readString(ml.resolve("output/message"));
        assertTrue(message.contains("--window needs --time-fields"), message);
    }

    /**
     * The AWS CLI request for the Spark container, run as written: its entry point's class and its
     * arguments through spark-submit, the container's paths under a temporary root; and the SDK
     * script submits the same class with the same arguments.
     */
    @Test
    void theSparkProcessingExamplesRunAsWritten(@TempDir Path tmp) throws Exception {
        Path examples = Jvms.root().resolve("examples");
        JsonNode job =
                JSON.readTree(examples.resolve("aws-cli/spark-processing-job.json").toFile());
        JsonNode entry = job.at("/AppSpecification/ContainerEntrypoint");
        assertEquals("smspark-submit", entry.get(0).asText());
        assertEquals("--class", entry.get(1).asText());
        String mainClass = entry.get(2).asText();
        try (var jar = new java.util.jar.JarFile(Jvms.sparkJar().toFile())) {
            assertEquals(mainClass, jar.getManifest().getMainAttributes().getValue("Main-Class"));
        }
        assertTrue(entry.get(3).asText().endsWith("/byoe-spark.jar"));
        assertTrue(
                job.at("/AppSpecification/ImageUri")
                        .asText()
                        .contains("sagemaker-spark-processing:3.5"));
        Path container = tmp.resolve("opt-ml");
        Map<String, String> localPaths = new HashMap<>();
        for (JsonNode in : job.get("ProcessingInputs")) {
            localPaths.put(in.get("InputName").asText(), in.at("/S3Input/LocalPath").asText());
        }
        Path logs = Files.createDirectories(under(container, localPaths.get("logs")));
        Files.copy(DATA.resolve("loghub/HDFS_2k.log"), logs.resolve("HDFS_2k.log"));
        Path labels = Files.createDirectories(under(container, localPaths.get("labels")));
        Files.copy(
                DATA.resolve("loghub/HDFS_2k_block_labels.csv"),
                labels.resolve("HDFS_block_labels.csv"));
        List<String> args = new ArrayList<>();
        for (JsonNode a : job.at("/AppSpecification/ContainerArguments")) {
            String text = a.asText();
            args.add(text.startsWith("/opt/ml/") ? under(container, text).toString() : text);
        }
        Jvms.Result r = Jvms.sparkSubmit(2, Map.of(), args);
        assertEquals(0, r.exit(), r.output());
        Path out =
                under(
                        container,
                        job.at("/ProcessingOutputConfig/Outputs/0/S3Output/LocalPath").asText());
        JsonNode summary = JSON.readTree(out.resolve("summary.json").toFile());
        assertEquals(2200, summary.get("sessions").asInt());
        assertEquals(69, summary.get("anomalous_sessions").asInt());

        String sdk = Files.readString(examples.resolve("sdk/spark_processing.py"));
        assertTrue(
                sdk.contains("submit_class=\"" + mainClass + "\""), "the SDK submits " + mainClass);
        assertTrue(sdk.contains("framework_version=\"3.5\""));
        assertTrue(sdk.contains("sagemaker>=2.200,<3"));
        for (int i = 0; i < args.size(); i += 2) {
            String option = job.at("/AppSpecification/ContainerArguments").get(i).asText();
            String value = job.at("/AppSpecification/ContainerArguments").get(i + 1).asText();
            assertTrue(
                    sdk.contains("\"" + option + "\", \"" + value + "\""),
                    "the SDK passes " + option + " " + value + " as the CLI request does");
        }
        org.junit.jupiter.api.Assumptions.assumeTrue(
                new java.io.File("/usr/bin/python3").canExecute(),
                "no /usr/bin/python3: the syntax check of the SDK script is skipped");
        Process p =
                new ProcessBuilder(
                                "/usr/bin/python3",
                                "-c",
                                "import ast, sys; ast.parse(open(sys.argv[1]).read(), sys.argv[1])",
                                examples.resolve("sdk/spark_processing.py").toString())
                        .redirectErrorStream(true)
                        .start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), output);
    }

    private static Path under(Path root, String containerPath) {
        return root.resolve(containerPath.substring(1));
    }

    /**
     * The same processing options through the Spark job ({@code partitions} at least, local[2])
     * into {@code spark} and through {@code byoe process} into {@code single}; both must succeed.
     */
    private static void bothRoutes(List<String> options, int partitions, Path spark, Path single)
            throws Exception {
        List<String> sparkArgs = new ArrayList<>(options);
        sparkArgs.addAll(
                List.of(
                        "--output",
                        spark.toString(),
                        "--partitions",
                        Integer.toString(partitions)));
        Jvms.Result r = Jvms.sparkSubmit(2, Map.of(), sparkArgs);
        assertEquals(0, r.exit(), options + "\n" + r.output());
        List<String> processArgs = new ArrayList<>(List.of("process"));
        processArgs.addAll(options);
        processArgs.addAll(List.of("--output", single.toString()));
        r = Jvms.byoe(Map.of(), processArgs.toArray(new String[0]));
        assertEquals(0, r.exit(), options + "\n" + r.output());
    }

    /** Each session's id, label and events as template text, in file order. */
    private static List<List<String>> sessions(Path out) throws IOException {
        Map<String, String> templates = new HashMap<>();
        for (String[] row : csv(out.resolve("templates.csv"))) {
            templates.put(row[0], row[1]);
        }
        templates.put("E0", "<unknown>");
        List<List<String>> sessions = new ArrayList<>();
        List<String[]> rows = csv(out.resolve("sessions.csv"));
        for (String[] row : rows) {
            List<String> s = new ArrayList<>(List.of(row).subList(0, row.length - 1));
            for (String e : row[row.length - 1].split(" ")) {
                s.add(templates.get(e));
            }
            sessions.add(s);
        }
        return sessions;
    }

    /** Template text to occurrences. */
    private static Map<String, String> templates(Path out) throws IOException {
        Map<String, String> t = new LinkedHashMap<>();
        for (String[] row : csv(out.resolve("templates.csv"))) {
            t.put(row[1], row[2]);
        }
        return new java.util.TreeMap<>(t);
    }

    /** Rows after the header. */
    private static List<String[]> csv(Path file) throws IOException {
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            CsvRecordReader reader = new CsvRecordReader(r);
            reader.next();
            List<String[]> rows = new ArrayList<>();
            String[] row;
            while ((row = reader.next()) != null) {
                rows.add(row);
            }
            return rows;
        }
    }

    /** Each line's event from structured.csv; a line missing there (malformed) is its own group. */
    private static List<String> events(Path out, int lines) throws IOException {
        List<String> events = new ArrayList<>();
        for (int i = 0; i < lines; i++) {
            events.add("malformed-" + i);
        }
        for (String[] row : csv(out.resolve("structured.csv"))) {
            events.set(Integer.parseInt(row[0]) - 1, row[row.length - 1]);
        }
        return events;
    }

    private static List<String> truth(Path gz) throws IOException {
        try (InputStream in = new GZIPInputStream(Files.newInputStream(gz));
                BufferedReader r =
                        new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            List<String> out = new ArrayList<>();
            r.readLine();
            String line;
            while ((line = r.readLine()) != null) {
                out.add(line.substring(line.indexOf(',') + 1));
            }
            return out;
        }
    }

    /** A log-anomaly training job over the Spark job's sessions and parser. */
    private static void trainingLayout(Path ml, Path processed) throws IOException {
        Files.createDirectories(ml.resolve("input/config"));
        Files.createDirectories(ml.resolve("model"));
        Files.createDirectories(ml.resolve("output"));
        Map<String, Object> channel =
                Map.of(
                        "ContentType",
                        "text/csv",
                        "TrainingInputMode",
                        "File",
                        "S3DistributionType",
                        "FullyReplicated",
                        "RecordWrapperType",
                        "None");
        JSON.writeValue(
                ml.resolve("input/config/inputdataconfig.json").toFile(),
                Map.of("train", channel, "drain", channel));
        JSON.writeValue(
                ml.resolve("input/config/hyperparameters.json").toFile(),
                Map.of("task", "log_anomaly", "members", "pca"));
        JSON.writeValue(
                ml.resolve("input/config/resourceconfig.json").toFile(),
                Map.of("current_host", "algo-1", "hosts", List.of("algo-1")));
        for (String[] c :
                List.of(
                        new String[] {"train", "sessions.csv"},
                        new String[] {"drain", "drain.json"})) {
            Path dir = Files.createDirectories(ml.resolve("input/data").resolve(c[0]));
            Files.copy(processed.resolve(c[1]), dir.resolve(c[1]));
        }
    }
}
