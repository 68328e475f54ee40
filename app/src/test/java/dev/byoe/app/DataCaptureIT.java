package dev.byoe.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Data capture inside the server: a model trained on the California housing rows is served with
 * {@code BYOE_DATA_CAPTURE_DIR} set; every answered request becomes one SageMaker capture line, and
 * {@code byoe monitor analyze} reads the captured folder against a baseline of the features.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DataCaptureIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int CSV_REQUESTS = 30;
    private static final int ROWS_PER_REQUEST = 5;

    Path tmp;
    Path capture;
    Path baseline;

    /** Request body -> answer body, in the order sent. */
    final Map<String, String> answered = new LinkedHashMap<>();

    int jsonRows;
    String serverLog;

    @BeforeAll
    void trainServeAndCapture(@TempDir Path tmp) throws Exception {
        this.tmp = tmp;
        MlLayout ml =
                new MlLayout(tmp.resolve("ml"))
                        .hyperparameters(
                                Map.of(
                                        "target_column",
                                        ModelMonitorIT.LABEL,
                                        "k_fold",
                                        "2",
                                        "num_round",
                                        "20"))
                        .channel("train", ModelMonitorIT.TRAIN);
        Byoe.Result training = Byoe.train(ml);
        assertEquals(0, training.exit(), training.all());

        baseline = tmp.resolve("baseline");
        Byoe.Result b =
                Byoe.run(
                        Map.of("BYOE_ML_ROOT", tmp.resolve("jobs").toString()),
                        "monitor",
                        "baseline",
                        "--dataset-source",
                        ModelMonitorIT.TRAIN.toString(),
                        "--exclude-columns",
                        ModelMonitorIT.LABEL,
                        "--output-path",
                        baseline.toString());
        assertEquals(0, b.exit(), b.all());

        List<Map<String, String>> rows = ModelMonitorIT.rows(ModelMonitorIT.HOLDOUT);
        rows.forEach(r -> r.remove(ModelMonitorIT.LABEL));
        capture = tmp.resolve("capture");
        try (Served served =
                Served.start(
                        ml.root,
                        Map.of(
                                "BYOE_DATA_CAPTURE_DIR",
                                capture.toString(),
                                "BYOE_DATA_CAPTURE_PERCENT",
                                "100"))) {
            for (int r = 0; r < CSV_REQUESTS; r++) {
                StringBuilder body = new StringBuilder();
                for (Map<String, String> row :
                        rows.subList(r * ROWS_PER_REQUEST, (r + 1) * ROWS_PER_REQUEST)) {
                    body.append(String.join(",", row.values())).append('\n');
                }
                HttpResponse<String> answer =
                        served.post(
                                body.toString(), "Content-Type", "text/csv", "Accept", "text/csv");
                assertEquals(200, answer.statusCode(), answer.body());
                answered.put(body.toString(), answer.body());
            }
            // Objects keyed by feature name, as JSON.
            List<Map<String, Object>> instances = new ArrayList<>();
            for (Map<String, String> row : rows.subList(200, 204)) {
                Map<String, Object> typed = new LinkedHashMap<>();
                row.forEach(
                        (k, v) ->
                                typed.put(
                                        k,
                                        k.equals("region")
                                                ? v
                                                : (Object) new java.math.BigDecimal(v)));
                instances.add(typed);
            }
            jsonRows = instances.size();
            String json = JSON.writeValueAsString(Map.of("instances", instances));
            HttpResponse<String> answer =
                    served.post(
                            json, "Content-Type", "application/json", "Accept", "application/json");
            assertEquals(200, answer.statusCode(), answer.body());
            answered.put(json, answer.body());
            // A rejected request is not captured.
            assertEquals(400, served.post("1,2,3\n", "Content-Type", "text/csv").statusCode());
            serverLog = served.log();
        }
    }

    List<Path> captureFiles() throws Exception {
        try (Stream<Path> s = Files.walk(capture)) {
            return s.filter(p -> p.toString().endsWith(".jsonl")).sorted().toList();
        }
    }

    @Test
    void everyAnsweredRequestIsOneSageMakerCaptureLine() throws Exception {
        List<Path> files = captureFiles();
        assertTrue(!files.isEmpty(), "capture files under " + capture);
        List<JsonNode> events = new ArrayList<>();
        for (Path f : files) {
            String hour = capture.relativize(f.getParent()).toString();
            assertTrue(
                    hour.matches("\\d{4}/\\d{2}/\\d{2}/\\d{2}"), "yyyy/MM/dd/HH folders: " + hour);
            for (String line : Files.readAllLines(f)) {
                events.add(JSON.readTree(line));
            }
        }
        assertEquals(
                answered.size(), events.size(), "one line per answered request, none for the 400");
        Set<String> ids = new HashSet<>();
        List<Map.Entry<String, String>> sent = new ArrayList<>(answered.entrySet());
        for (int i = 0; i < events.size(); i++) {
            JsonNode e = events.get(i);
            JsonNode in = e.at("/captureData/endpointInput");
            JsonNode out = e.at("/captureData/endpointOutput");
            boolean csv = i < CSV_REQUESTS;
            assertEquals("INPUT", in.get("mode").asText());
            assertEquals("OUTPUT", out.get("mode").asText());
            assertEquals(
                    csv ? "text/csv" : "application/json", in.get("observedContentType").asText());
            assertEquals(csv ? "CSV" : "JSON", in.get("encoding").asText());
            assertEquals(csv ? "CSV" : "JSON", out.get("encoding").asText());
            assertEquals(sent.get(i).getKey(), in.get("data").asText(), "the request as received");
            assertEquals(sent.get(i).getValue(), out.get("data").asText(), "the answer as sent");
            assertEquals("0", e.get("eventVersion").asText());
            assertTrue(ids.add(e.at("/eventMetadata/eventId").asText()));
            Instant t = Instant.parse(e.at("/eventMetadata/inferenceTime").asText());
            assertTrue(Math.abs(ChronoUnit.MINUTES.between(t, Instant.now())) < 30, t.toString());
        }
        assertTrue(serverLog.contains("data capture: 100.0% of requests"), serverLog);
    }

    @Test
    void monitorAnalyzeReadsTheCapturedFolder() throws Exception {
        Path out = tmp.resolve("analysis");
        Byoe.Result r =
                Byoe.run(
                        Map.of(
                                "BYOE_ML_ROOT",
                                tmp.resolve("jobs").toString(),
                                "dataset_format",
                                "{\"sagemakerCaptureJson\": {\"captureIndexNames\": [\"endpointInput\", \"endpointOutput\"]}}",
                                "dataset_source",
                                capture.toString(),
                                "output_path",
                                out.toString(),
                                "baseline_statistics",
                                baseline.toString(),
                                "baseline_constraints",
                                baseline.toString(),
                                "start_time",
                                Instant.now().minus(1, ChronoUnit.HOURS).toString(),
                                "end_time",
                                Instant.now().plus(1, ChronoUnit.HOURS).toString()),
                        "monitor",
                        "analyze");
        assertEquals(0, r.exit(), r.all());
        JsonNode stats = JSON.readTree(out.resolve("statistics.json").toFile());
        assertEquals(
                CSV_REQUESTS * ROWS_PER_REQUEST + jsonRows,
                stats.at("/dataset/item_count").asInt());
        JsonNode region = ModelMonitorIT.feature(stats, "region");
        assertEquals(
                "String",
                region.get("inferred_type").asText(),
                "headerless captured columns take the baseline's names");
        assertEquals(
                "Integral",
                ModelMonitorIT.feature(stats, "housingMedianAge").get("inferred_type").asText());
        assertEquals(
                Set.of(),
                ModelMonitorIT.violations(
                        JSON.readTree(out.resolve("constraint_violations.json").toFile())),
                r.all());
    }

    @Test
    void capturedRecordsOutsideTheTimeWindowAreLeftOut() throws Exception {
        Path root = tmp.resolve("late");
        Byoe.Result r =
                Byoe.run(
                        Map.of(
                                "BYOE_ML_ROOT",
                                root.toString(),
                                "dataset_source",
                                capture.toString(),
                                "output_path",
                                tmp.resolve("late-out").toString(),
                                "baseline_constraints",
                                baseline.toString(),
                                "start_time",
                                Instant.now().plus(1, ChronoUnit.HOURS).toString()),
                        "monitor",
                        "analyze");
        assertNotEquals(0, r.exit());
        String message = Files.readString(root.resolve("output/message"));
        assertTrue(message.startsWith("no rows in " + capture + " within "), message);
        assertTrue(
                r.all().contains(answered.size() + " captured records outside the time window"),
                r.all());
    }
}
