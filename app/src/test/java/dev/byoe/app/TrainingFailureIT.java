package dev.byoe.app;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every way a training job can be set up wrong ends in a failure file that says why, and a non-zero
 * exit.
 */
class TrainingFailureIT {
    @TempDir Path tmp;

    static List<Arguments> badHyperparameters() {
        return List.of(
                Arguments.of(Map.of("max_depht", "3"), "unknown hyperparameter 'max_depht'"),
                Arguments.of(Map.of("num_round", "ten"), "num_round='ten' must be an integer"),
                Arguments.of(Map.of("eta", "0"), "eta='0' is out of range in (0, 1]"),
                Arguments.of(Map.of("k_fold", "1"), "k_fold='1' is out of range"),
                Arguments.of(Map.of("max_depth", "20"), "does not suit catboost"),
                Arguments.of(
                        Map.of("catboost.grow_policy", "Bogus"),
                        "must be one of [SymmetricTree, Depthwise, Lossguide]"),
                Arguments.of(
                        Map.of("xgboost.subsample", "1.5"),
                        "xgboost.subsample='1.5' is out of range"),
                Arguments.of(
                        Map.of("xgboost.colour", "red"), "unknown hyperparameter 'xgboost.colour'"),
                Arguments.of(Map.of("members", "xgboost,lightgbm"), "unknown member 'lightgbm'"),
                Arguments.of(Map.of("members", "xgboost,xgboost"), "listed twice"),
                Arguments.of(
                        Map.of("objective", "ranking"),
                        "must be one of [regression, binary, multiclass]"),
                Arguments.of(
                        Map.of("objective", "binary"),
                        "objective=binary needs exactly 2 label values"),
                Arguments.of(
                        Map.of("target_column", "glucose"),
                        "names column 'glucose', which is not in the header"),
                Arguments.of(
                        Map.of("target_column", "11"),
                        "target_column=11 is outside the 11 columns"),
                Arguments.of(
                        Map.of("categorical_columns", "height"),
                        "categorical_columns names column 'height'"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("badHyperparameters")
    void badHyperparametersFailTheJob(Map<String, String> overrides, String reason)
            throws Exception {
        Map<String, String> hp = new LinkedHashMap<>(Map.of("target_column", "target"));
        hp.putAll(overrides);
        MlLayout ml =
                new MlLayout(tmp)
                        .hyperparameters(hp)
                        .channel("train", MlLayout.data("diabetes.csv"));
        assertFails(ml, reason);
    }

    @Test
    void aBadRowInTheMiddleNamesTheFileLineAndColumn() throws Exception {
        List<String> lines = new ArrayList<>(Files.readAllLines(MlLayout.data("diabetes.csv")));
        String[] cells = lines.get(199).split(",");
        cells[2] = "abc";
        lines.set(199, String.join(",", cells));
        MlLayout ml =
                new MlLayout(tmp)
                        .hyperparameters(Map.of("target_column", "target"))
                        .channel(
                                "train",
                                Map.of(
                                        "part/diabetes.csv",
                                        (String.join("\n", lines) + "\n").getBytes()));
        assertFails(
                ml,
                "train/part/diabetes.csv line 200, column 'bmi' (index 2): 'abc' is not a number");
    }

    @Test
    void aShortRowNamesItsLine() throws Exception {
        List<String> lines = new ArrayList<>(Files.readAllLines(MlLayout.data("diabetes.csv")));
        lines.set(299, lines.get(299).substring(0, lines.get(299).lastIndexOf(',')));
        MlLayout ml =
                new MlLayout(tmp)
                        .hyperparameters(Map.of("target_column", "target"))
                        .channel("train", Map.of("d.csv", String.join("\n", lines).getBytes()));
        assertFails(ml, "train/d.csv line 300 has 10 fields; expected 11");
    }

    @Test
    void anUnclosedQuoteNamesItsLine() throws Exception {
        MlLayout ml =
                new MlLayout(tmp)
                        .hyperparameters(Map.of())
                        .channel("train", Map.of("q.csv", "1,2,3\n4,\"5,6\n7,8,9\n".getBytes()));
        assertFails(ml, "train/q.csv line 2: quoted field is never closed");
    }

    @Test
    void anEmptyLabelNamesItsLine() throws Exception {
        MlLayout ml =
                new MlLayout(tmp)
                        .hyperparameters(Map.of())
                        .channel("train", Map.of("e.csv", "1,2,3\n,5,6\n7,8,9\n".getBytes()));
        assertFails(ml, "train/e.csv line 2: the label (column index 0, 'column_0') is empty");
    }

    @Test
    void invalidUtf8IsNamed() throws Exception {
        MlLayout ml =
                new MlLayout(tmp)
                        .hyperparameters(Map.of())
                        .channel(
                                "train", Map.of("u.csv", new byte[] {'1', ',', (byte) 0xff, '\n'}));
        assertFails(ml, "train/u.csv is not valid UTF-8");
    }

    @Test
    void aMissingTrainChannelIsNamed() throws Exception {
        MlLayout ml =
                new MlLayout(tmp)
                        .hyperparameters(Map.of("target_column", "target"))
                        .channel("validation", MlLayout.data("diabetes.csv"));
        assertFails(ml, "missing channel 'train'; the job has channels [validation]");
    }

    @Test
    void anEmptyChannelIsNamed() throws Exception {
        MlLayout ml = new MlLayout(tmp).hyperparameters(Map.of()).channel("train", Map.of());
        assertFails(ml, "channel 'train' has no files");
    }

    @Test
    void unreadableHyperparametersAreNamed() throws Exception {
        MlLayout ml = new MlLayout(tmp).channel("train", MlLayout.data("diabetes.csv"));
        Files.writeString(ml.root.resolve("input/config/hyperparameters.json"), "{\"eta\": ");
        assertFails(ml, "hyperparameters.json is not valid JSON");
    }

    @Test
    void anUnsupportedContentTypeIsNamed() throws Exception {
        MlLayout ml =
                new MlLayout(tmp)
                        .hyperparameters(Map.of("target_column", "target"))
                        .channel("train", MlLayout.data("diabetes.csv"));
        Files.writeString(
                ml.root.resolve("input/config/inputdataconfig.json"),
                "{\"train\": {\"ContentType\": \"application/x-image\", \"TrainingInputMode\": \"File\"}}");
        assertFails(
                ml,
                "ContentType application/x-image; byoe reads text/csv, application/x-parquet,"
                        + " text/libsvm");
    }

    @Test
    void validationDataWithAnUnseenClassIsRefused() throws Exception {
        MlLayout ml =
                new MlLayout(tmp)
                        .hyperparameters(Map.of("objective", "binary"))
                        .channel("train", Map.of("t.csv", "a,1\nb,2\na,3\nb,4\n".getBytes()))
                        .channel("validation", Map.of("v.csv", "a,1\nc,2\n".getBytes()));
        assertFails(
                ml, "validation/v.csv line 2: label 'c' is not one of the training classes [a, b]");
    }

    private static void assertFails(MlLayout ml, String reason) throws Exception {
        Byoe.Result r = Byoe.train(ml);
        assertNotEquals(0, r.exit(), r.all());
        assertTrue(Files.exists(ml.failure()), "no failure file; output: " + r.all());
        String failure = Files.readString(ml.failure(), StandardCharsets.UTF_8);
        assertTrue(failure.contains(reason), "failure file says: " + failure);
        assertTrue(
                failure.length() <= 1024,
                "SageMaker shows only the first 1024 characters: " + failure);
        assertFalse(failure.contains("Exception"), "a reason, not a stack trace: " + failure);
        assertTrue(r.stderr().contains(reason), r.stderr());
        assertFalse(Files.exists(ml.model().resolve("manifest.json")), "no model after a failure");
    }
}
