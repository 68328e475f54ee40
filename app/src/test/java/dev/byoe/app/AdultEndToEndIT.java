package dev.byoe.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Binary classification with categorical columns and missing values (adult sample, label last),
 * scored on a validation channel, then served with raw category strings.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AdultEndToEndIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    static final List<String> CATEGORICAL =
            List.of(
                    "workclass",
                    "education",
                    "marital_status",
                    "occupation",
                    "relationship",
                    "race",
                    "sex",
                    "native_country");

    MlLayout ml;
    Byoe.Result training;
    JsonNode manifest;
    Served served;

    @BeforeAll
    void trainAndServe(@TempDir Path tmp) throws Exception {
        List<String> lines = Files.readAllLines(MlLayout.data("adult-sample.csv"));
        String header = lines.getFirst();
        String train = header + "\n" + String.join("\n", lines.subList(1, 601)) + "\n";
        String validation =
                header + "\n" + String.join("\n", lines.subList(601, lines.size())) + "\n";
        ml =
                new MlLayout(tmp.resolve("ml"))
                        .hyperparameters(
                                Map.of(
                                        "objective",
                                        "binary",
                                        "target_column",
                                        "label",
                                        "num_round",
                                        "60",
                                        "xgboost.max_depth",
                                        "4",
                                        "catboost.l2_leaf_reg",
                                        "5"))
                        .channel(
                                "train",
                                Map.of("adult-train.csv", train.getBytes(StandardCharsets.UTF_8)))
                        .channel(
                                "validation",
                                Map.of(
                                        "adult-validation.csv",
                                        validation.getBytes(StandardCharsets.UTF_8)));
        training = Byoe.train(ml);
        assertEquals(0, training.exit(), training.all());
        manifest = JSON.readTree(ml.model().resolve("manifest.json").toFile());
        served = Served.start(ml.root, Map.of());
    }

    @AfterAll
    void stop() throws Exception {
        if (served != null) {
            served.close();
        }
    }

    @Test
    void categoricalColumnsAreDetectedAndTheValidationChannelScoresTheModel() {
        for (JsonNode f : manifest.get("features")) {
            String expected =
                    CATEGORICAL.contains(f.get("name").asText()) ? "categorical" : "numeric";
            assertEquals(expected, f.get("kind").asText(), f.toString());
        }
        assertEquals(14, manifest.get("features").size());
        assertEquals("[\"0\",\"1\"]", manifest.at("/target/classes").toString());
        assertEquals("validation", manifest.at("/evaluation/method").asText());
        assertEquals(200, manifest.at("/evaluation/rows").asInt());
        assertEquals(4, manifest.at("/members/0/hyperparameters/max_depth").asInt());
        assertEquals(5.0, manifest.at("/members/1/hyperparameters/l2_leaf_reg").asDouble());
        double auc = manifest.at("/evaluation/ensemble/auc").asDouble();
        assertTrue(auc > 0.8, "validation AUC " + auc);
    }

    @Test
    void binaryMetricLinesMatchTheirDefinitions() throws Exception {
        Byoe.Result r = Byoe.run(Map.of(), "metric-definitions", "--objective", "binary");
        JsonNode defs = JSON.readTree(r.stdout());
        assertEquals(12, defs.size());
        for (JsonNode d : defs) {
            List<String> values =
                    DiabetesEndToEndIT.captures(
                            Pattern.compile(d.get("Regex").asText()), training.all());
            assertFalse(values.isEmpty(), d + " matches no line");
        }
        // With a validation channel, XGBoost's figures come every round; SageMaker keeps the last
        // value of each metric, which must be the model's.
        for (String metric : List.of("auc", "logloss")) {
            List<String> values =
                    DiabetesEndToEndIT.captures(
                            Pattern.compile("(?<![a-z-])validation-" + metric + ":([0-9\\.]+)"),
                            training.all());
            String model =
                    String.format(
                            java.util.Locale.ROOT,
                            "%.6f",
                            manifest.at("/evaluation/ensemble/" + metric).asDouble());
            assertEquals(model, values.getLast());
            // The ensemble's figure every round: CatBoost trained first, then XGBoost round by
            // round; its last round is the model.
            assertTrue(values.size() > 10, "round by round: " + values);
            assertEquals(model, values.get(values.size() - 2), "the last round is the model");
        }
    }

    @Test
    void servesRawCategoryStringsIncludingMissingAndUnseenOnes() throws Exception {
        String body =
                """
                {"instances": [
                  {"age": 52, "workclass": "Self-emp-inc", "fnlwgt": 287927, "education": "HS-grad", "education_num": 9,
                   "marital_status": "Married-civ-spouse", "occupation": "Exec-managerial", "relationship": "Wife",
                   "race": "White", "sex": "Female", "capital_gain": 15024, "capital_loss": 0, "hours_per_week": 40,
                   "native_country": "United-States"},
                  {"age": 19, "workclass": null, "fnlwgt": 100000, "education": "11th", "education_num": 7,
                   "marital_status": "Never-married", "occupation": "Martian-liaison", "relationship": "Own-child",
                   "race": "White", "sex": "Male", "capital_gain": 0, "capital_loss": 0, "hours_per_week": 15}
                ]}""";
        HttpResponse<String> r =
                served.post(
                        body,
                        "Content-Type",
                        "application/json",
                        "X-Amzn-SageMaker-Custom-Attributes",
                        "members=true");
        assertEquals(200, r.statusCode(), r.body());
        JsonNode predictions = JSON.readTree(r.body()).get("predictions");
        assertEquals(2, predictions.size());
        for (JsonNode p : predictions) {
            double score = p.get("score").asDouble();
            assertTrue(score >= 0 && score <= 1, p.toString());
            assertEquals(score >= 0.5 ? "1" : "0", p.get("label").asText());
            double mean =
                    (p.at("/members/xgboost").asDouble() + p.at("/members/catboost").asDouble())
                            / 2;
            assertEquals(mean, score, 1e-12);
        }
        assertTrue(
                predictions.get(0).get("score").asDouble()
                        > predictions.get(1).get("score").asDouble(),
                "a high-earning profile should score above a teenager's: " + predictions);

        HttpResponse<String> csv =
                served.post(
                        "39,State-gov,77516,Bachelors,13,Never-married,Adm-clerical,Not-in-family,White,Male,2174,0,40,United-States\n"
                                + "50,,83311,\"Bachelors\",13,Married-civ-spouse,Exec-managerial,Husband,White,Male,0,0,13,\r\n",
                        "Content-Type",
                        "text/csv");
        assertEquals(200, csv.statusCode(), csv.body());
        assertEquals(2, csv.body().strip().split("\n").length);
    }
}
