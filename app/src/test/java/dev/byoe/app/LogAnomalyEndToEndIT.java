package dev.byoe.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code task=log_anomaly} end to end: the jar trains PCA, DeepLog, XGBoost and CatBoost on HDFS
 * sessions in one job, calibrates and averages them, prints the metric lines tuners read, writes
 * one model folder, and serves verdicts per session.
 */
class LogAnomalyEndToEndIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path HDFS = MlLayout.data("hdfs");

    @TempDir static Path shared;
    static MlLayout ml;
    static Byoe.Result training;

    @BeforeAll
    static void train() throws Exception {
        ml =
                new MlLayout(shared.resolve("ml"))
                        .hyperparameters(
                                Map.of(
                                        "task",
                                        "log_anomaly",
                                        "members",
                                        "pca,deeplog,xgboost,catboost",
                                        "deeplog.epochs",
                                        "40",
                                        "xgboost.weight",
                                        "2",
                                        "calibration_fraction",
                                        "0.4"))
                        .channel("train", HDFS.resolve("sessions-train.csv"))
                        .channel("validation", HDFS.resolve("sessions-validation.csv"));
        training = Byoe.run(Map.of("BYOE_ML_ROOT", ml.root.toString()), "train");
        assertEquals(0, training.exit(), training.all());
    }

    @Test
    void printsEveryMetricTheDefinitionsPromise() throws Exception {
        Byoe.Result defs =
                Byoe.run(
                        Map.of(),
                        "metric-definitions",
                        "--task",
                        "log_anomaly",
                        "--members",
                        "pca,deeplog,xgboost,catboost");
        assertEquals(0, defs.exit(), defs.all());
        JsonNode list = JSON.readTree(defs.stdout());
        assertTrue(list.size() >= 16, defs.stdout());
        for (JsonNode d : list) {
            Matcher m = Pattern.compile(d.get("Regex").asText()).matcher(training.stdout());
            assertTrue(m.find(), d + " matches nothing in\n" + training.stdout());
            double v = Double.parseDouble(m.group(1));
            assertTrue(
                    v >= 0 && (d.get("Name").asText().contains("loss") || v <= 1), d + " = " + v);
        }
        // The seed's style of regex reads the model's F1, never a member's.
        Matcher seed = Pattern.compile("validation-f1:([0-9\\.]+)").matcher(training.stdout());
        String lastValue = null;
        while (seed.find()) {
            lastValue = seed.group(1);
        }
        JsonNode manifest = JSON.readTree(ml.model().resolve("manifest.json").toFile());
        assertEquals(manifest.at("/evaluation/f1").asDouble(), Double.parseDouble(lastValue), 1e-6);
        // DeepLog reported each of its 40 epochs.
        assertTrue(training.stdout().contains("deeplog-epoch=40;"), training.stdout());
        assertFalse(training.stdout().contains("deeplog-epoch=41;"));
    }

    @Test
    void writesOneModelFolderWithProvenance() throws Exception {
        JsonNode manifest = JSON.readTree(ml.model().resolve("manifest.json").toFile());
        assertEquals("byoe-log-anomaly/1", manifest.get("format").asText());
        List<String> names = new ArrayList<>();
        manifest.get("members").forEach(m -> names.add(m.get("name").asText()));
        assertEquals(List.of("pca", "deeplog", "xgboost", "catboost"), names);
        assertTrue(Files.isRegularFile(ml.model().resolve("members/pca/pca.json")));
        assertTrue(Files.isRegularFile(ml.model().resolve("members/deeplog/lstm.bin")));
        assertTrue(Files.isRegularFile(ml.model().resolve("members/xgboost/model.ubj")));
        assertTrue(Files.isRegularFile(ml.model().resolve("members/catboost/model.cbm")));
        assertEquals(64, manifest.at("/data/train/files/0/sha256").asText().length());
        assertEquals(30, manifest.at("/data/train/anomalous").asInt());
        assertEquals(40, manifest.at("/members/1/hyperparameters/epochs").asInt());
        assertEquals(2.0, manifest.at("/members/2/weight").asDouble());
        assertTrue(manifest.at("/members/0/evaluation/f1").isNumber());
        // Every member calibrated on the held-out labelled sessions (40% of 30 anomalies: enough
        // for isotonic calibration); one threshold for the average.
        for (JsonNode m : manifest.get("members")) {
            assertEquals("isotonic", m.at("/calibration/method").asText(), m.toString());
        }
        double threshold = manifest.get("decision_threshold").asDouble();
        assertTrue(threshold > 0 && threshold < 1, manifest.toString());
        assertTrue(manifest.get("calibration").asText().contains("held-out"), manifest.toString());
    }

    @Test
    void servesTheSameVerdictsTrainingMeasured() throws Exception {
        List<String> rows = Files.readAllLines(HDFS.resolve("sessions-validation.csv"));
        StringBuilder body = new StringBuilder("BlockId,EventSequence\n");
        List<Integer> truth = new ArrayList<>();
        for (String row : rows.subList(1, rows.size())) {
            String[] f = row.split(",");
            body.append(f[0]).append(',').append(f[3]).append('\n');
            truth.add(Integer.parseInt(f[1]));
        }
        try (Served s = Served.start(ml.root, Map.of())) {
            HttpResponse<String> r =
                    s.post(body.toString(), "Content-Type", "text/csv", "Accept", "text/csv");
            assertEquals(200, r.statusCode(), r.body());
            String[] lines = r.body().split("\n");
            assertEquals(truth.size(), lines.length);
            int tp = 0, fp = 0, fn = 0;
            for (int i = 0; i < lines.length; i++) {
                String[] f = lines[i].split(",");
                assertEquals(
                        rows.get(i + 1).split(",")[0],
                        f[0],
                        "answers keep the request's order and ids");
                int label = Integer.parseInt(f[1]);
                tp += label == 1 && truth.get(i) == 1 ? 1 : 0;
                fp += label == 1 && truth.get(i) == 0 ? 1 : 0;
                fn += label == 0 && truth.get(i) == 1 ? 1 : 0;
            }
            double f1 = 2.0 * tp / (2.0 * tp + fp + fn);
            JsonNode manifest = JSON.readTree(ml.model().resolve("manifest.json").toFile());
            assertEquals(manifest.at("/evaluation/f1").asDouble(), f1, 1e-9);

            HttpResponse<String> json =
                    s.post(
                            """
                    {"sessions": [{"id": "a", "events": "E22 E5 E5 E5 E26 E26 E26 E11 E9 E11 E9 E11 E9"},
                                  {"id": "b", "events": ["E22", "E5"]},
                                  {"events": [22, 5, 5, 5, 26, 26, 26, 11, 9, 11, 9, 11, 9, 28]}]}""",
                            "Content-Type",
                            "application/json");
            assertEquals(200, json.statusCode(), json.body());
            JsonNode p = JSON.readTree(json.body()).get("predictions");
            assertEquals(0, p.get(0).get("label").asInt(), json.body());
            assertEquals("2", p.get(2).get("id").asText());
            // A session cut short and one with an event never seen are more suspect than a normal
            // one.
            double normal = p.get(0).get("probability").asDouble();
            assertTrue(p.get(1).get("probability").asDouble() > normal, json.body());
            assertTrue(p.get(2).get("probability").asDouble() > normal, json.body());
            assertTrue(p.get(1).at("/members/deeplog/score").asDouble() >= 1, json.body());
            for (String m : List.of("pca", "deeplog", "xgboost", "catboost")) {
                double prob = p.get(0).at("/members/" + m + "/probability").asDouble(-1);
                assertTrue(prob >= 0 && prob <= 1, m + ": " + json.body());
            }
            // The averaged probability is the weighted mean of the members' (xgboost weighs 2).
            JsonNode s0 = p.get(0).get("members");
            double mean =
                    (s0.at("/pca/probability").asDouble()
                                    + s0.at("/deeplog/probability").asDouble()
                                    + 2 * s0.at("/xgboost/probability").asDouble()
                                    + s0.at("/catboost/probability").asDouble())
                            / 5;
            assertEquals(mean, normal, 1e-9);

            HttpResponse<String> lines2 =
                    s.post(
                            "{\"id\":\"x\",\"events\":\"E22 E5\"}\n{\"id\":\"y\",\"events\":\"E22\"}\n",
                            "Content-Type",
                            "application/jsonlines");
            assertEquals(200, lines2.statusCode(), lines2.body());
            assertEquals(2, lines2.body().strip().split("\n").length);
        }
    }

    @Test
    void badRequestsGetMessagesThatNameTheProblem() throws Exception {
        try (Served s = Served.start(ml.root, Map.of())) {
            HttpResponse<String> token = s.post("a,E22 E5\nb,E22 X5\n", "Content-Type", "text/csv");
            assertEquals(400, token.statusCode());
            assertTrue(token.body().contains("row 2") && token.body().contains("X5"), token.body());
            HttpResponse<String> counts =
                    s.post(
                            "{\"sessions\":[{\"counts\":[0,1,2]}]}",
                            "Content-Type",
                            "application/json");
            assertEquals(400, counts.statusCode());
            assertTrue(counts.body().contains("reads event order"), counts.body());
            HttpResponse<String> raw =
                    s.post(
                            "081109 203518 143 INFO dfs.DataNode: x blk_1\n",
                            "Content-Type",
                            "text/plain");
            assertEquals(415, raw.statusCode());
            assertTrue(raw.body().contains("Drain"), raw.body());
            HttpResponse<String> noEvents =
                    s.post("{\"sessions\":[{\"id\":1}]}", "Content-Type", "application/json");
            assertEquals(400, noEvents.statusCode());
            assertTrue(noEvents.body().contains("session 1"), noEvents.body());
            assertEquals(
                    200,
                    s.post("x,E22 E5\n", "Content-Type", "text/csv").statusCode(),
                    "a bad request leaves no trace");
        }
    }

    @Test
    void deepLogResumesFromItsCheckpointAfterAStop(@TempDir Path root) throws Exception {
        MlLayout job =
                new MlLayout(root)
                        .hyperparameters(
                                Map.of(
                                        "task",
                                        "log_anomaly",
                                        "members",
                                        "deeplog",
                                        "deeplog.epochs",
                                        "2"))
                        .channel("train", HDFS.resolve("sessions-train.csv"))
                        .channel("validation", HDFS.resolve("sessions-validation.csv"));
        Byoe.Result first = Byoe.run(Map.of("BYOE_ML_ROOT", root.toString()), "train");
        assertEquals(0, first.exit(), first.all());
        assertTrue(Files.isRegularFile(root.resolve("checkpoints/deeplog-network.zip")));
        // The only member's figures are the model's: the ensemble-form lines appear each epoch.
        assertTrue(first.stdout().contains("deeplog-epoch=1;"), first.stdout());
        assertTrue(
                Pattern.compile("(?m)^train-loss:[0-9.]+; validation-f1:")
                        .matcher(first.stdout())
                        .find(),
                first.stdout());

        job.hyperparameters(
                Map.of("task", "log_anomaly", "members", "deeplog", "deeplog.epochs", "3"));
        Byoe.Result resumed = Byoe.run(Map.of("BYOE_ML_ROOT", root.toString()), "train");
        assertEquals(0, resumed.exit(), resumed.all());
        assertTrue(
                resumed.stderr().contains("resuming from the checkpoint after epoch 2"),
                resumed.all());
        assertFalse(resumed.stdout().contains("deeplog-epoch=1;"), resumed.stdout());
        assertTrue(resumed.stdout().contains("deeplog-epoch=3;"), resumed.stdout());
    }

    @Test
    void withoutLabelsScoresBecomeQuantilesAndTheThresholdAFalsePositiveBudget(@TempDir Path root)
            throws Exception {
        new MlLayout(root)
                .hyperparameters(
                        Map.of(
                                "task",
                                "log_anomaly",
                                "members",
                                "pca",
                                "label_column",
                                "none",
                                "false_positive_rate",
                                "0.05"))
                .channel("train", HDFS.resolve("sessions-train.csv"));
        Byoe.Result r = Byoe.run(Map.of("BYOE_ML_ROOT", root.toString()), "train");
        assertEquals(0, r.exit(), r.all());
        JsonNode manifest = JSON.readTree(root.resolve("model/manifest.json").toFile());
        assertEquals("quantile", manifest.at("/members/0/calibration/method").asText());
        // Unlabelled: the job cannot know the sessions are normal, and does not say they are.
        assertTrue(
                manifest.get("calibration")
                        .asText()
                        .endsWith("unlabelled sessions (taken as normal)"),
                manifest.get("calibration").asText());
        // The budget is set on sessions the members did not learn from (a fifth of 730).
        assertTrue(
                manifest.get("calibration").asText().contains("held-out training sessions: 146 "),
                manifest.get("calibration").asText());
        assertTrue(r.all().contains("the members learn from the other 584 sessions"), r.all());
        assertTrue(
                manifest.get("threshold_rule").asText().contains("false-positive budget 0.05"),
                manifest.toString());

        MlLayout supervised =
                new MlLayout(root.resolve("s"))
                        .hyperparameters(
                                Map.of(
                                        "task",
                                        "log_anomaly",
                                        "members",
                                        "pca,xgboost",
                                        "label_column",
                                        "none"))
                        .channel("train", HDFS.resolve("sessions-train.csv"));
        Byoe.Result bad = Byoe.run(Map.of("BYOE_ML_ROOT", root.resolve("s").toString()), "train");
        assertEquals(1, bad.exit(), bad.all());
        assertTrue(
                Files.readString(supervised.failure()).contains("xgboost learns from labels"),
                Files.readString(supervised.failure()));
    }

    @Test
    void labelledSessionsAloneGetAHeldOutValidationCutAndDeepLogsGChosenOnAnotherCut(
            @TempDir Path root) throws Exception {
        MlLayout job =
                new MlLayout(root)
                        .hyperparameters(
                                Map.of(
                                        "task",
                                        "log_anomaly",
                                        "members",
                                        "deeplog",
                                        "deeplog.epochs",
                                        "5"))
                        .channel("train", HDFS.resolve("sessions-train.csv"));
        Byoe.Result r = Byoe.run(Map.of("BYOE_ML_ROOT", root.toString()), "train");
        assertEquals(0, r.exit(), r.all());
        JsonNode manifest = JSON.readTree(job.model().resolve("manifest.json").toFile());
        assertEquals("train", manifest.at("/data/validation/held_out_from").asText());
        int validation = manifest.at("/data/validation/sessions").asInt();
        assertTrue(r.stderr().contains("no 'validation' channel: held out " + validation), r.all());
        // g is chosen on the calibration cut, not on the validation sessions the job reports on.
        JsonNode deeplog =
                JSON.readTree(job.model().resolve("members/deeplog/deeplog.json").toFile());
        int g = deeplog.at("/settings/topG").asInt();
        java.util.regex.Matcher chosen =
                java.util.regex.Pattern.compile(
                                "deeplog: top_g="
                                        + g
                                        + " chosen on (\\d+) held-out labelled sessions")
                        .matcher(r.stderr());
        assertTrue(g >= 1 && chosen.find(), r.stderr());
        assertTrue(Integer.parseInt(chosen.group(1)) != validation, chosen.group());
        assertTrue(r.stderr().contains("deeplog: a session may end after E"), r.stderr());
        assertTrue(r.stdout().contains("validation-f1:"), r.stdout());
    }

    @Test
    void badSessionDataFailsTheJobNamingFileLineAndColumn(@TempDir Path root) throws Exception {
        MlLayout job =
                new MlLayout(root)
                        .hyperparameters(Map.of("task", "log_anomaly", "members", "pca"))
                        .channel(
                                "train",
                                Map.of(
                                        "sessions.csv",
                                        "BlockId,Label,EventSequence\nb1,0,E5 E22\nb2,0,E5 E2?\n"
                                                .getBytes()));
        Byoe.Result r = Byoe.run(Map.of("BYOE_ML_ROOT", root.toString()), "train");
        assertEquals(1, r.exit(), r.all());
        String failure = Files.readString(job.failure());
        assertTrue(
                failure.contains("sessions.csv line 3")
                        && failure.contains("EventSequence")
                        && failure.contains("E2?"),
                failure);

        MlLayout noColumn =
                new MlLayout(root.resolve("b"))
                        .hyperparameters(
                                Map.of(
                                        "task",
                                        "log_anomaly",
                                        "members",
                                        "pca",
                                        "pca.c_alpha",
                                        "-1"))
                        .channel("train", HDFS.resolve("sessions-train.csv"));
        Byoe.Result bad = Byoe.run(Map.of("BYOE_ML_ROOT", root.resolve("b").toString()), "train");
        assertEquals(1, bad.exit());
        assertTrue(
                Files.readString(noColumn.failure()).contains("pca.c_alpha"),
                Files.readString(noColumn.failure()));
    }
}
