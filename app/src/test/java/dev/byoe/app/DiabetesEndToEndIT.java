package dev.byoe.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.catboost.CatBoostModel;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.XGBoost;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The backbone, end to end on the diabetes set (regression, label in the last column): one training
 * job through a real /opt/ml layout with 5-fold cross-validation, then the same model served over
 * real HTTP.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DiabetesEndToEndIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    MlLayout ml;
    Byoe.Result training;
    JsonNode manifest;
    Served served;
    List<String> rows;

    @BeforeAll
    void trainAndServe(@TempDir Path tmp) throws Exception {
        ml =
                new MlLayout(tmp.resolve("ml"))
                        .hyperparameters(
                                Map.of(
                                        "target_column",
                                        "target",
                                        "_tuning_objective_metric",
                                        "validation:rmse"))
                        .channel("train", MlLayout.data("diabetes.csv"));
        training = Byoe.train(ml);
        assertEquals(0, training.exit(), training.all());
        manifest = JSON.readTree(ml.model().resolve("manifest.json").toFile());
        served = Served.start(ml.root, Map.of());
        rows = new ArrayList<>();
        List<String> lines = Files.readAllLines(MlLayout.data("diabetes.csv"));
        for (String line : lines.subList(1, 31)) {
            rows.add(line.substring(0, line.lastIndexOf(',')));
        }
    }

    @AfterAll
    void stop() throws Exception {
        if (served != null) {
            served.close();
        }
    }

    @Test
    void writesNativeMemberFilesAndAManifestWithProvenance() throws Exception {
        byte[] ubj = Files.readAllBytes(ml.model().resolve("members/xgboost/model.ubj"));
        byte[] cbm = Files.readAllBytes(ml.model().resolve("members/catboost/model.cbm"));
        assertEquals('{', ubj[0], "XGBoost UBJSON starts with an object marker");
        assertEquals(
                "CBM1", new String(cbm, 0, 4, StandardCharsets.US_ASCII), "CatBoost model magic");
        // Numeric features and symmetric trees: served by walking them in Java (the test below
        // holds its answers to catboost-prediction's on the same .cbm).
        assertTrue(Files.size(ml.model().resolve("members/catboost/trees.bin")) > 0);
        assertFalse(Files.exists(ml.failure()));

        assertEquals("byoe-ensemble/1", manifest.get("format").asText());
        assertEquals("regression", manifest.get("objective").asText());
        assertEquals("target", manifest.at("/target/name").asText());
        List<String> features = new ArrayList<>();
        manifest.get("features").forEach(f -> features.add(f.get("name").asText()));
        assertEquals(
                List.of("age", "sex", "bmi", "bp", "s1", "s2", "s3", "s4", "s5", "s6"), features);
        assertEquals("xgboost", manifest.at("/members/0/name").asText());
        assertEquals("catboost", manifest.at("/members/1/name").asText());
        assertEquals(100, manifest.at("/members/1/hyperparameters/num_round").asInt());
        assertEquals("target", manifest.at("/hyperparameters/target_column").asText());
        assertEquals("k-fold", manifest.at("/evaluation/method").asText());
        assertEquals(5, manifest.at("/evaluation/folds").asInt());
        assertEquals(442, manifest.at("/evaluation/rows").asInt());
        assertEquals(442, manifest.at("/data/train/rows").asInt());
        String sha =
                HexFormat.of()
                        .formatHex(
                                MessageDigest.getInstance("SHA-256")
                                        .digest(Files.readAllBytes(MlLayout.data("diabetes.csv"))));
        assertEquals(sha, manifest.at("/data/train/files/0/sha256").asText());
    }

    @Test
    void theSeedsRegexesMatchOnlyTheEnsembleLine() {
        double rmse = manifest.at("/evaluation/ensemble/rmse").asDouble();
        for (String regex : List.of("validation-rmse:([0-9\\.]+)", "validation-rmse:(.*?);")) {
            List<String> values = captures(Pattern.compile(regex), training.all());
            assertEquals(1, values.size(), regex + " matched " + values);
            assertEquals(rmse, Double.parseDouble(values.getFirst()), 1e-5);
        }
        // Member figures are printed, in a form those regexes do not match.
        assertTrue(training.stdout().contains("xgboost-validation-rmse="), training.stdout());
        assertTrue(training.stdout().contains("catboost-validation-rmse="), training.stdout());
    }

    @Test
    void everyMetricDefinitionMatchesExactlyOneLineWithTheRecordedValue() throws Exception {
        Byoe.Result r = Byoe.run(Map.of(), "metric-definitions", "--objective", "regression");
        assertEquals(0, r.exit(), r.all());
        JsonNode defs = JSON.readTree(r.stdout());
        assertEquals(9, defs.size(), r.stdout());
        for (JsonNode d : defs) {
            String name = d.get("Name").asText();
            List<String> values =
                    captures(Pattern.compile(d.get("Regex").asText()), training.all());
            assertEquals(1, values.size(), name + " matched " + values);
            String[] parts = name.split(":");
            JsonNode expected =
                    parts.length == 2
                            ? manifest.at("/evaluation/ensemble/" + parts[1])
                            : manifest.at(
                                    "/members/"
                                            + (parts[0].equals("xgboost") ? 0 : 1)
                                            + "/metrics/"
                                            + parts[2]);
            assertEquals(expected.asDouble(), Double.parseDouble(values.getFirst()), 1e-5, name);
        }
    }

    @Test
    void servedPredictionIsTheMeanOfTheMembersOwnPredictions() throws Exception {
        HttpResponse<String> r =
                served.post(
                        String.join("\n", rows),
                        "Content-Type",
                        "text/csv",
                        "X-Amzn-SageMaker-Custom-Attributes",
                        "members=true");
        assertEquals(200, r.statusCode(), r.body());
        assertEquals(
                "text/csv", r.headers().firstValue("Content-Type").orElseThrow().split(";")[0]);
        String[] lines = r.body().strip().split("\n");
        assertEquals(rows.size(), lines.length);

        // Each member's own library, reading its own file, with no byoe code in between.
        int n = rows.size();
        float[] dense = new float[n * 10];
        float[][] perRow = new float[n][10];
        for (int i = 0; i < n; i++) {
            String[] cells = rows.get(i).split(",");
            for (int c = 0; c < 10; c++) {
                dense[i * 10 + c] = Float.parseFloat(cells[c]);
                perRow[i][c] = dense[i * 10 + c];
            }
        }
        Booster booster =
                XGBoost.loadModel(ml.model().resolve("members/xgboost/model.ubj").toString());
        float[][] xgb = booster.inplace_predict(dense, n, 10, Float.NaN);
        double[] cat;
        try (CatBoostModel model =
                CatBoostModel.loadModel(
                        ml.model().resolve("members/catboost/model.cbm").toString())) {
            cat = model.predict(perRow, new String[n][0]).copyRowMajorPredictions();
        }
        booster.dispose();
        for (int i = 0; i < n; i++) {
            String[] v = lines[i].split(",");
            double expectedMean = (xgb[i][0] + cat[i]) / 2;
            assertEquals(
                    expectedMean,
                    Double.parseDouble(v[0]),
                    1e-9 * Math.abs(expectedMean),
                    "row " + i);
            assertEquals(xgb[i][0], Double.parseDouble(v[1]), 1e-12, "xgboost, row " + i);
            assertEquals(cat[i], Double.parseDouble(v[2]), 1e-9, "catboost, row " + i);
        }
    }

    @Test
    void answersInEveryFormatItAccepts() throws Exception {
        String first = rows.getFirst();
        double csv =
                Double.parseDouble(
                        served.post(first, "Content-Type", "text/csv; charset=utf-8")
                                .body()
                                .strip());

        HttpResponse<String> json =
                served.post(
                        "{\"instances\": [[" + first + "], [" + rows.get(1) + "]]}",
                        "Content-Type",
                        "application/json");
        assertEquals(200, json.statusCode(), json.body());
        assertEquals(
                "application/json",
                json.headers().firstValue("Content-Type").orElseThrow().split(";")[0]);
        assertEquals(csv, JSON.readTree(json.body()).at("/predictions/0/score").asDouble(), 1e-12);
        assertEquals(2, JSON.readTree(json.body()).get("predictions").size());

        String[] v = first.split(",");
        String byName =
                "{\"age\":"
                        + v[0]
                        + ",\"sex\":"
                        + v[1]
                        + ",\"bmi\":"
                        + v[2]
                        + ",\"bp\":"
                        + v[3]
                        + ",\"s1\":"
                        + v[4]
                        + ",\"s2\":"
                        + v[5]
                        + ",\"s3\":"
                        + v[6]
                        + ",\"s4\":"
                        + v[7]
                        + ",\"s5\":"
                        + v[8]
                        + ",\"s6\":"
                        + v[9]
                        + "}";
        HttpResponse<String> named =
                served.post(byName, "Content-Type", "application/json", "Accept", "text/csv");
        assertEquals(
                "text/csv", named.headers().firstValue("Content-Type").orElseThrow().split(";")[0]);
        assertEquals(csv, Double.parseDouble(named.body().strip()), 1e-12);

        HttpResponse<String> lines =
                served.post(
                        "[" + first + "]\n{\"features\": [" + rows.get(1) + "]}\n",
                        "Content-Type",
                        "application/jsonlines",
                        "Accept",
                        "*/*");
        assertEquals(
                "application/jsonlines",
                lines.headers().firstValue("Content-Type").orElseThrow().split(";")[0]);
        String[] out = lines.body().strip().split("\n");
        assertEquals(2, out.length, lines.body());
        assertEquals(csv, JSON.readTree(out[0]).get("score").asDouble(), 1e-12);

        HttpResponse<String> preferred =
                served.post(
                        first,
                        "Content-Type",
                        "text/csv",
                        "Accept",
                        "application/xml;q=1, application/json;q=0.8, text/csv;q=0.5");
        assertEquals(
                "application/json",
                preferred.headers().firstValue("Content-Type").orElseThrow().split(";")[0]);

        HttpResponse<String> params = served.get("/execution-parameters");
        assertEquals(200, params.statusCode());
        JsonNode p = JSON.readTree(params.body());
        assertEquals("MultiRecord", p.get("BatchStrategy").asText());
        assertEquals(6, p.get("MaxPayloadInMB").asInt());
        assertTrue(p.get("MaxConcurrentTransforms").asInt() >= 1);
    }

    static List<Arguments> badRequests() {
        String ok = "59,2,32.1,101.0,157,93.2,38.0,4.0,4.8598,87";
        byte[] tooBig = new byte[6 * 1024 * 1024 + 1];
        java.util.Arrays.fill(tooBig, (byte) '1');
        return List.of(
                Arguments.of(
                        "too few fields",
                        "59,2,32.1".getBytes(),
                        "text/csv",
                        null,
                        400,
                        "row 1 has 3 fields"),
                Arguments.of(
                        "label sent along",
                        (ok + ",151").getBytes(),
                        "text/csv",
                        null,
                        400,
                        "without the label"),
                Arguments.of(
                        "text in a number column",
                        (ok + "\n48,1,abc,87,183,103.2,70,3,3.89,69").getBytes(),
                        "text/csv",
                        null,
                        400,
                        "row 2, column 3 ('bmi'): 'abc' is not a number"),
                Arguments.of(
                        "header row",
                        ("age,sex,bmi,bp,s1,s2,s3,s4,s5,s6\n" + ok).getBytes(),
                        "text/csv",
                        null,
                        400,
                        "header row"),
                Arguments.of("empty body", new byte[0], "text/csv", null, 400, "body is empty"),
                Arguments.of(
                        "infinity",
                        ok.replace("87", "Infinity").getBytes(),
                        "text/csv",
                        null,
                        400,
                        "not a finite"),
                Arguments.of(
                        "huge number",
                        ok.replace("87", "1e400").getBytes(),
                        "text/csv",
                        null,
                        400,
                        "not a finite"),
                Arguments.of(
                        "unclosed quote",
                        ("\"59,2" + ok.substring(2)).getBytes(),
                        "text/csv",
                        null,
                        400,
                        "malformed CSV"),
                Arguments.of(
                        "invalid UTF-8",
                        new byte[] {'5', (byte) 0xC3, (byte) 0x28},
                        "text/csv",
                        null,
                        400,
                        "UTF-8"),
                Arguments.of(
                        "broken JSON",
                        "{\"instances\": [[1,2".getBytes(),
                        "application/json",
                        null,
                        400,
                        "invalid JSON"),
                Arguments.of(
                        "unknown feature",
                        "{\"age\": 1, \"height\": 2}".getBytes(),
                        "application/json",
                        null,
                        400,
                        "'height', which is not a feature"),
                Arguments.of(
                        "nested value",
                        ("[[" + ok + "]]").replace("87", "[1]").getBytes(),
                        "application/json",
                        null,
                        400,
                        "expected a number"),
                Arguments.of(
                        "deep nesting",
                        ("[".repeat(500) + "]".repeat(500)).getBytes(),
                        "application/json",
                        null,
                        400,
                        "too deeply nested"),
                Arguments.of(
                        "unsupported Content-Type",
                        ok.getBytes(),
                        "application/x-image",
                        null,
                        415,
                        "not supported"),
                Arguments.of(
                        "CSV sent as RecordIO-protobuf",
                        ok.getBytes(),
                        "application/x-recordio-protobuf",
                        null,
                        400,
                        "record 1 (byte 0): bad magic number"),
                Arguments.of(
                        "libsvm index past the features",
                        "1:0.5 11:2\n".getBytes(),
                        "text/libsvm",
                        null,
                        400,
                        "line 1 has 11 features; the model takes 10"),
                Arguments.of(
                        "libsvm asked for as an answer",
                        ok.getBytes(),
                        "text/csv",
                        "text/libsvm",
                        406,
                        "text/libsvm"),
                Arguments.of(
                        "no Content-Type", ok.getBytes(), null, null, 415, "missing Content-Type"),
                Arguments.of(
                        "unsupported Accept",
                        ok.getBytes(),
                        "text/csv",
                        "image/png",
                        406,
                        "image/png"),
                Arguments.of("body over 6 MiB", tooBig, "text/csv", null, 413, "limit"),
                Arguments.of(
                        "too many fields",
                        (ok + ",1,2").getBytes(),
                        "text/csv",
                        null,
                        400,
                        "row 1 has 12 fields"),
                Arguments.of(
                        "NaN token in JSON",
                        ("[" + ok.replace("87", "NaN") + "]").getBytes(),
                        "application/json",
                        null,
                        400,
                        "invalid JSON"),
                Arguments.of(
                        "400-digit number in JSON",
                        ("[" + ok.replace("87", "9".repeat(400)) + "]").getBytes(),
                        "application/json",
                        null,
                        400,
                        "too long a number"),
                Arguments.of(
                        "wrong count in JSON",
                        "[[1,2,3]]".getBytes(),
                        "application/json",
                        null,
                        400,
                        "row 1 has 3 values"),
                Arguments.of(
                        "invalid UTF-8 in JSON Lines",
                        new byte[] {'[', '1', ']', '\n', '"', (byte) 0xFF, '"'},
                        "application/jsonlines",
                        null,
                        400,
                        "UTF-8"),
                Arguments.of(
                        "wrong count in JSON Lines",
                        ("[" + ok + "]\n[1]").getBytes(),
                        "application/jsonlines",
                        null,
                        400,
                        "row 2 has 1 values"),
                Arguments.of(
                        "header row with CRLF",
                        ("age,sex,bmi,bp,s1,s2,s3,s4,s5,s6\r\n" + ok).getBytes(),
                        "text/csv",
                        null,
                        400,
                        "header row"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badRequests")
    void badInputGetsAClientErrorThatNamesTheProblem(
            String what,
            byte[] body,
            String contentType,
            String accept,
            int status,
            String fragment)
            throws Exception {
        List<String> headers = new ArrayList<>();
        if (contentType != null) {
            headers.addAll(List.of("Content-Type", contentType));
        }
        if (accept != null) {
            headers.addAll(List.of("Accept", accept));
        }
        HttpResponse<String> r = served.post(body, headers.toArray(new String[0]));
        assertEquals(status, r.statusCode(), r.body());
        JsonNode error = JSON.readTree(r.body());
        assertTrue(error.get("error").asText().contains(fragment), r.body());
        assertFalse(
                r.body().contains("Exception"),
                "no stack trace or exception name to the caller: " + r.body());
        // The next request is unaffected.
        assertEquals(200, served.post(rows.getFirst(), "Content-Type", "text/csv").statusCode());
    }

    @Test
    void quotedFieldsCrlfAndMissingValuesAreRows() throws Exception {
        String first = rows.getFirst();
        double plain =
                Double.parseDouble(served.post(first, "Content-Type", "text/csv").body().strip());
        String quoted =
                "\""
                        + first.replace(",", "\",\"")
                        + "\"\r\n"
                        + first.replace("87", "NaN")
                        + "\r\n"
                        + first.replace("87", "")
                        + "\r\n";
        HttpResponse<String> r = served.post(quoted, "Content-Type", "text/csv");
        assertEquals(200, r.statusCode(), r.body());
        String[] out = r.body().strip().split("\n");
        assertEquals(3, out.length, r.body());
        assertEquals(plain, Double.parseDouble(out[0]), 1e-12, "quotes change nothing");
        assertEquals(
                Double.parseDouble(out[1]),
                Double.parseDouble(out[2]),
                1e-12,
                "NaN and an empty cell are both missing");
    }

    @Test
    void pingIsCheapAndStaysOutOfTheLog() throws Exception {
        for (int i = 0; i < 50; i++) {
            HttpResponse<String> r = served.get("/ping");
            assertEquals(200, r.statusCode());
            assertEquals("", r.body());
        }
        assertFalse(
                served.log().toLowerCase(java.util.Locale.ROOT).contains("/ping"), served.log());
    }

    /**
     * The ready line gives the server's own start and the JVM's uptime at that point (byoe's share
     * of a cold start, which bench/cold-start-ab compares between images).
     */
    @Test
    void theReadyLineSaysHowLongTheServerAndTheJvmTookToStart() throws Exception {
        Matcher m =
                Pattern.compile("ready in (\\d+) ms \\((\\d+) ms after the JVM started\\)")
                        .matcher(served.log());
        assertTrue(m.find(), served.log());
        long server = Long.parseLong(m.group(1));
        long jvm = Long.parseLong(m.group(2));
        assertTrue(server > 0 && jvm > server, served.log());
    }

    static List<String> captures(Pattern pattern, String text) {
        List<String> values = new ArrayList<>();
        for (String line : text.split("\n")) {
            Matcher m = pattern.matcher(line);
            if (m.find()) {
                values.add(m.group(1));
            }
        }
        return values;
    }
}
