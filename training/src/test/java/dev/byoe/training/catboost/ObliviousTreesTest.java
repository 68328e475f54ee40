package dev.byoe.training.catboost;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.byoe.core.data.Dataset;
import dev.byoe.core.data.Objective;
import dev.byoe.model.catboost.CatBoostModel;
import dev.byoe.model.catboost.ObliviousTrees;
import dev.byoe.training.SyntheticData;
import dev.byoe.training.member.MemberSettings;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * CatBoost's symmetric trees walked in Java give what catboost-prediction's native model gives, on
 * rows it never saw (with missing values), and a server reading them never loads the native model.
 */
class ObliviousTreesTest {
    @TempDir Path dir;

    @ParameterizedTest
    @CsvSource({
        "REGRESSION, Min",
        "REGRESSION, Max",
        "BINARY, Min",
        "BINARY, Max",
        "MULTICLASS, Min",
        "MULTICLASS, Max"
    })
    void matchesTheNativeModel(Objective objective, String nanMode) throws Exception {
        Dataset train = SyntheticData.numeric(objective, 600, 3);
        CatBoostModel model = trained(train, Map.of("nan_mode", nanMode));
        assertTrue(model.evaluatesInJava(), "numeric symmetric trees are walked in Java");
        assertFalse(model.nativeLoaded(), "the native model is let go once the trees agree");
        assertFalse(model.holdsUncountedNativeMemory(), "nothing of CatBoost's allocator is held");
        model.save(dir);
        ObliviousTrees trees = savedTrees(dir, train);
        assertEquals(60, trees.trees());

        Dataset test = SyntheticData.numeric(objective, 600, 4);
        float[] x = test.features().numeric().clone();
        Random random = new Random(9);
        for (int i = 0; i < x.length; i++) {
            if (random.nextInt(6) == 0) {
                x[i] = Float.NaN;
            }
        }
        double[] expected = nativeRaw(dir, x, test.rows(), 2);
        int width = train.target().predictionWidth();
        // Whole requests and ones cut at the walk's 4-row and 256-row boundaries.
        for (int rows : new int[] {1, 3, 4, 5, 255, 256, 257, test.rows()}) {
            double[] actual = trees.predict(Arrays.copyOf(x, rows * 2), rows);
            for (int i = 0; i < rows * width; i++) {
                assertEquals(
                        expected[i],
                        actual[i],
                        1e-9 * Math.max(1, Math.abs(expected[i])),
                        rows + " rows: value " + i);
            }
        }
        model.close();
    }

    @ParameterizedTest
    @CsvSource({"Min, -Infinity", "Max, Infinity"})
    void aMissingValueSplitsAsTheLowestOrHighestValueByNanMode(String nanMode, float extreme)
            throws Exception {
        Dataset train = SyntheticData.numeric(Objective.REGRESSION, 600, 3);
        CatBoostModel model = trained(train, Map.of("nan_mode", nanMode));
        assertTrue(model.evaluatesInJava());
        double[] missing = predict(model, new float[] {0.2f, Float.NaN, 0.2f, -1f});
        double[] atExtreme = predict(model, new float[] {0.2f, extreme, 0.2f, -1f});
        double[] atOpposite = predict(model, new float[] {0.2f, -extreme, 0.2f, -1f});
        assertEquals(atExtreme[0], missing[0], 0.0, nanMode);
        assertTrue(Math.abs(atOpposite[0] - missing[0]) > 0.1, nanMode + " makes a difference");
        // The row without a missing value is untouched.
        assertEquals(atExtreme[1], missing[1], 0.0);
        model.close();
    }

    @ParameterizedTest
    @CsvSource({"REGRESSION", "BINARY", "MULTICLASS"})
    void aSavedModelPredictsTheSameWithoutTheNativeLibraryAndOnlyPredictsWhenAsked(
            Objective objective) throws Exception {
        Dataset train = SyntheticData.numeric(objective, 400, 3);
        CatBoostModel model = trained(train, Map.of());
        model.save(dir);
        Dataset test = SyntheticData.numeric(objective, 200, 6);
        CatBoostModel loaded = load(dir, train);
        assertTrue(loaded.evaluatesInJava());
        assertFalse(loaded.nativeLoaded(), "a saved model with its trees never loads the native");
        assertArrayEquals(
                model.predict(test.features()).values(), loaded.predict(test.features()).values());
        // Saving again copies the .cbm it was read from, byte for byte.
        Path again = Files.createDirectory(dir.resolve("again"));
        loaded.save(again);
        assertArrayEquals(
                Files.readAllBytes(dir.resolve(CatBoostModel.MODEL_FILE)),
                Files.readAllBytes(again.resolve(CatBoostModel.MODEL_FILE)));
        loaded.predictOnly();
        IOException refused =
                assertThrows(
                        IOException.class,
                        () -> loaded.save(Files.createDirectory(dir.resolve("third"))));
        assertTrue(refused.getMessage().contains("only predicts"), refused.getMessage());
        assertArrayEquals(
                model.predict(test.features()).values(), loaded.predict(test.features()).values());
        model.close();
        loaded.close();
    }

    @Test
    void modelsTheWalkDoesNotCoverStayNative() throws Exception {
        // A categorical column: its counters live in the native model.
        Dataset mixed = SyntheticData.make(Objective.BINARY, 300, 3);
        CatBoostModel categorical = trained(mixed, Map.of());
        assertFalse(categorical.evaluatesInJava());
        assertTrue(categorical.holdsUncountedNativeMemory(), "CatBoost's allocator holds it");
        categorical.save(dir);
        assertFalse(Files.exists(dir.resolve(CatBoostModel.TREES_FILE)));
        CatBoostModel loaded =
                (CatBoostModel) CatBoostModel.FORMAT.load(dir, mixed.schema(), mixed.target());
        assertTrue(loaded.nativeLoaded());
        assertArrayEquals(
                categorical.predict(mixed.features()).values(),
                loaded.predict(mixed.features()).values());
        // Trees that are not symmetric.
        Dataset numeric = SyntheticData.numeric(Objective.REGRESSION, 300, 3);
        CatBoostModel depthwise = trained(numeric, Map.of("grow_policy", "Depthwise"));
        assertFalse(depthwise.evaluatesInJava());
        assertTrue(depthwise.nativeLoaded());
        categorical.close();
        loaded.close();
        depthwise.close();
    }

    @Test
    void aDamagedTreeFileIsRefusedAndTheNativeModelAnswersInstead() throws Exception {
        Dataset train = SyntheticData.numeric(Objective.REGRESSION, 400, 3);
        CatBoostModel model = trained(train, Map.of());
        model.save(dir);
        Path file = dir.resolve(CatBoostModel.TREES_FILE);
        byte[] bytes = Files.readAllBytes(file);
        assertThrows(
                IOException.class,
                () ->
                        ObliviousTrees.read(
                                new ByteArrayInputStream(Arrays.copyOf(bytes, bytes.length - 3)),
                                2,
                                1));
        // Header (4 ints), scale, bias, 2 missing-value flags, tree count, 60 depths, then the
        // first split's feature: point it past the last feature.
        byte[] damaged = bytes.clone();
        java.nio.ByteBuffer.wrap(damaged).putInt(16 + 8 + 8 + 2 + 4 + 60, 7);
        IOException e =
                assertThrows(
                        IOException.class,
                        () -> ObliviousTrees.read(new ByteArrayInputStream(damaged), 2, 1));
        assertTrue(e.getMessage().contains("feature 7"), e.getMessage());
        assertThrows(
                IOException.class,
                () -> ObliviousTrees.read(new ByteArrayInputStream(bytes), 3, 1));
        Files.write(file, damaged);
        CatBoostModel loaded = load(dir, train);
        assertFalse(loaded.evaluatesInJava());
        assertTrue(loaded.nativeLoaded());
        Dataset test = SyntheticData.numeric(Objective.REGRESSION, 50, 6);
        double[] expected = model.predict(test.features()).values();
        double[] actual = loaded.predict(test.features()).values();
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], 1e-9 * Math.max(1, Math.abs(expected[i])));
        }
        model.close();
        loaded.close();
    }

    private static CatBoostModel trained(Dataset train, Map<String, Object> extra)
            throws Exception {
        Map<String, Object> hp = new HashMap<>(extra);
        hp.put("num_round", 60L);
        hp.put("max_depth", 5L);
        hp.put("eta", 0.3);
        hp.put("thread_count", 1L);
        return (CatBoostModel)
                new CatBoostMember()
                        .trainer(new MemberSettings(train.target().objective(), 5, 1, hp))
                        .train(train);
    }

    private static CatBoostModel load(Path dir, Dataset train) throws Exception {
        return (CatBoostModel) CatBoostModel.FORMAT.load(dir, train.schema(), train.target());
    }

    private static ObliviousTrees savedTrees(Path dir, Dataset train) throws IOException {
        try (var in = Files.newInputStream(dir.resolve(CatBoostModel.TREES_FILE))) {
            return ObliviousTrees.read(in, 2, train.target().predictionWidth());
        }
    }

    /** Raw values from a fresh native model read from the saved {@code .cbm}. */
    private static double[] nativeRaw(Path dir, float[] x, int rows, int features)
            throws Exception {
        try (ai.catboost.CatBoostModel native_ =
                ai.catboost.CatBoostModel.loadModel(
                        dir.resolve(CatBoostModel.MODEL_FILE).toString())) {
            return native_.predict(CatBoostModel.perRow(x, rows, features), new String[rows][0])
                    .copyRowMajorPredictions();
        }
    }

    private static double[] predict(CatBoostModel model, float[] rows) throws Exception {
        Dataset shape = SyntheticData.numeric(Objective.REGRESSION, 1, 1);
        return model.predict(
                        new dev.byoe.core.data.FeatureBatch(
                                shape.schema(), rows.length / 2, rows, new String[0]))
                .values();
    }
}
