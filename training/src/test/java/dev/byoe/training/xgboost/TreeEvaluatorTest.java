package dev.byoe.training.xgboost;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.byoe.core.data.Dataset;
import dev.byoe.core.data.Objective;
import dev.byoe.model.xgboost.CategoryCodes;
import dev.byoe.model.xgboost.TreeEvaluator;
import dev.byoe.model.xgboost.XGBoostModel;
import dev.byoe.training.SyntheticData;
import dev.byoe.training.member.MemberSettings;
import java.util.Map;
import java.util.Random;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.XGBoost;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The Java tree walk gives what XGBoost's own predictor gives, on data it never saw. */
class TreeEvaluatorTest {
    @ParameterizedTest
    @EnumSource(Objective.class)
    void matchesTheNativePredictor(Objective objective) throws Exception {
        TreeEvaluator trees = checkedAgainstNative(objective, 500, 80, 6);
        // Depth-6 trees are padded and walked level by level (rows with a missing value aside).
        assertTrue(trees.paddedDepth() >= 1 && trees.paddedDepth() <= 6, "" + trees.paddedDepth());
    }

    @org.junit.jupiter.api.Test
    void treesTooDeepToPadAreWalkedNodeByNodeAndMatchToo() throws Exception {
        TreeEvaluator trees = checkedAgainstNative(Objective.REGRESSION, 3000, 10, 16);
        assertEquals(-1, trees.paddedDepth());
    }

    /**
     * Trains, then compares the Java walk with a fresh native booster on unseen rows (one in about
     * five with a missing value), for the whole request and for requests cut at the walk's block
     * and row-by-row boundaries.
     */
    private static TreeEvaluator checkedAgainstNative(
            Objective objective, int trainRows, long rounds, long depth) throws Exception {
        Dataset train = SyntheticData.make(objective, trainRows, 3);
        XGBoostModel model = trained(objective, train, rounds, depth, 0.2);
        assertTrue(model.evaluatesInJava(), "byoe's own models are walked in Java");
        Dataset test = SyntheticData.make(objective, 300, 4);
        CategoryCodes codes = CategoryCodesFit.fit(train);
        float[] x = codes.encode(test.features()).clone(); // the test writes into it
        Random random = new Random(9);
        for (int i = 0; i < x.length; i++) {
            if (random.nextInt(15) == 0) {
                x[i] = Float.NaN;
            }
        }
        // A fresh booster from the same file, so nothing is shared with the evaluator under test.
        Booster native_ = XGBoost.loadModel(new java.io.ByteArrayInputStream(boosterBytes(model)));
        float[][] expected = native_.inplace_predict(x, test.rows(), 3, Float.NaN);
        TreeEvaluator trees = TreeEvaluator.of(native_, 3);
        int width = expected[0].length;
        double tolerance = objective == Objective.REGRESSION ? 0 : 1e-6;
        for (int rows : new int[] {1, 3, 4, 63, 64, 65, 129, test.rows()}) {
            double[] actual = trees.predict(java.util.Arrays.copyOf(x, rows * 3), rows);
            for (int r = 0; r < rows; r++) {
                for (int c = 0; c < width; c++) {
                    assertEquals(
                            expected[r][c],
                            actual[r * width + c],
                            tolerance,
                            rows + " rows: row " + r + ", output " + c);
                }
            }
        }
        // A block where every row has a missing value, and one where only the last has: the loop
        // for rows without one takes none of the block, or all of it but one row (which, alone,
        // walks the single-row way).
        float[] gaps = java.util.Arrays.copyOf(x, 128 * 3);
        for (int r = 0; r < 128; r++) {
            for (int c = 0; c < 3; c++) {
                if (Float.isNaN(gaps[r * 3 + c])) {
                    gaps[r * 3 + c] = 0.5f;
                }
            }
            if (r < 64 || r == 127) {
                gaps[r * 3 + r % 3] = Float.NaN;
            }
        }
        float[][] gapsExpected = native_.inplace_predict(gaps, 128, 3, Float.NaN);
        double[] gapsActual = trees.predict(gaps, 128);
        for (int r = 0; r < 128; r++) {
            for (int c = 0; c < width; c++) {
                assertEquals(gapsExpected[r][c], gapsActual[r * width + c], tolerance, "row " + r);
            }
        }
        // Requests too small to walk level by level, with and without a missing value: rows 62-63
        // have one, 64-65 none.
        for (int from = 62; from < 65; from++) {
            for (int rows = 1; rows < 4 && from + rows <= 66; rows++) {
                double[] few =
                        trees.predict(
                                java.util.Arrays.copyOfRange(gaps, from * 3, (from + rows) * 3),
                                rows);
                for (int r = 0; r < rows; r++) {
                    for (int c = 0; c < width; c++) {
                        assertEquals(
                                gapsExpected[from + r][c],
                                few[r * width + c],
                                tolerance,
                                rows + " rows from row " + from + ": row " + r);
                    }
                }
            }
        }
        native_.dispose();
        model.close();
        return trees;
    }

    @ParameterizedTest
    @EnumSource(Objective.class)
    void aModelThatOnlyPredictsLetsItsBoosterGoAndPredictsTheSame(Objective objective)
            throws Exception {
        Dataset train = SyntheticData.make(objective, 300, 3);
        XGBoostModel model = trained(objective, train, 20, 4, 0.3);
        Dataset test = SyntheticData.make(objective, 100, 5);
        double[] before = model.predict(test.features()).values().clone();
        model.predictOnly();
        assertArrayEquals(before, model.predict(test.features()).values());
        java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("predict-only");
        java.io.IOException refused =
                assertThrows(java.io.IOException.class, () -> model.save(dir));
        assertTrue(refused.getMessage().contains("booster was released"), refused.getMessage());
        model.close();
    }

    @ParameterizedTest
    @EnumSource(Objective.class)
    void aSavedModelLoadsItsTreesFromTheirFileAndPredictsTheSame(Objective objective)
            throws Exception {
        Dataset train = SyntheticData.make(objective, 400, 3);
        XGBoostModel model = trained(objective, train, 30, 5, 0.3);
        java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("saved-trees");
        model.save(dir);
        assertTrue(
                java.nio.file.Files.size(dir.resolve(XGBoostModel.TREES_FILE)) > 0,
                "a model walked in Java writes its trees");
        Dataset test = SyntheticData.make(objective, 200, 6);
        XGBoostModel loaded =
                (XGBoostModel) XGBoostModel.FORMAT.load(dir, train.schema(), train.target());
        assertTrue(loaded.evaluatesInJava());
        assertArrayEquals(
                model.predict(test.features()).values(), loaded.predict(test.features()).values());
        // Predicting never needed XGBoost's own copy; saving reads it from its file, unchanged.
        assertFalse(loaded.boosterLoaded(), "the booster was read although the trees were saved");
        java.nio.file.Path again = java.nio.file.Files.createTempDirectory("saved-again");
        loaded.save(again);
        assertTrue(loaded.boosterLoaded());
        assertArrayEquals(
                java.nio.file.Files.readAllBytes(dir.resolve(XGBoostModel.MODEL_FILE)),
                java.nio.file.Files.readAllBytes(again.resolve(XGBoostModel.MODEL_FILE)));
        XGBoostModel serving =
                (XGBoostModel) XGBoostModel.FORMAT.load(dir, train.schema(), train.target());
        serving.predictOnly();
        assertThrows(java.io.IOException.class, () -> serving.save(again));
        assertFalse(serving.boosterLoaded());
        serving.close();
        // The file, not the booster's dump, is what the loaded model walks: swap it for the
        // trees of another model and the answers follow that file.
        XGBoostModel other = trained(objective, train, 3, 2, 0.3);
        java.nio.file.Path otherDir = java.nio.file.Files.createTempDirectory("other-trees");
        other.save(otherDir);
        java.nio.file.Files.copy(
                otherDir.resolve(XGBoostModel.TREES_FILE),
                dir.resolve(XGBoostModel.TREES_FILE),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        XGBoostModel swapped =
                (XGBoostModel) XGBoostModel.FORMAT.load(dir, train.schema(), train.target());
        assertArrayEquals(
                other.predict(test.features()).values(), swapped.predict(test.features()).values());
        model.close();
        loaded.close();
        other.close();
        swapped.close();
    }

    @org.junit.jupiter.api.Test
    void aDamagedTreeFileIsRefusedAndTheBoosterBuildsTheTreesInstead() throws Exception {
        Dataset train = SyntheticData.make(Objective.REGRESSION, 400, 3);
        XGBoostModel model = trained(Objective.REGRESSION, train, 10, 3, 0.3);
        java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("damaged-trees");
        model.save(dir);
        java.nio.file.Path file = dir.resolve(XGBoostModel.TREES_FILE);
        byte[] bytes = java.nio.file.Files.readAllBytes(file);
        // Cut short, and (separately) every node pointing at the first: both refused.
        assertThrows(
                java.io.IOException.class,
                () ->
                        TreeEvaluator.read(
                                new java.io.ByteArrayInputStream(
                                        java.util.Arrays.copyOf(bytes, bytes.length / 2)),
                                3));
        java.io.ByteArrayOutputStream looped = new java.io.ByteArrayOutputStream();
        TreeEvaluator.read(new java.io.ByteArrayInputStream(bytes), 3).write(looped);
        byte[] damaged = looped.toByteArray();
        // Header (5 ints), base margin, roots, tree groups, then the left children: point them
        // all back at node 0.
        java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(damaged);
        int at = 20;
        for (int array = 0; array < 3; array++) {
            at += 4 + 4 * b.getInt(at);
        }
        int nodes = b.getInt(at);
        for (int i = 0; i < nodes; i++) {
            b.putInt(at + 4 + 4 * i, 0);
        }
        java.io.IOException e =
                assertThrows(
                        java.io.IOException.class,
                        () -> TreeEvaluator.read(new java.io.ByteArrayInputStream(damaged), 3));
        assertTrue(e.getMessage().contains("tree file"), e.getMessage());
        java.nio.file.Files.write(file, damaged);
        XGBoostModel loaded =
                (XGBoostModel) XGBoostModel.FORMAT.load(dir, train.schema(), train.target());
        assertTrue(loaded.evaluatesInJava(), "trees built from the booster instead");
        Dataset test = SyntheticData.make(Objective.REGRESSION, 50, 6);
        assertArrayEquals(
                model.predict(test.features()).values(), loaded.predict(test.features()).values());
        model.close();
        loaded.close();
    }

    private static XGBoostModel trained(
            Objective objective, Dataset train, long rounds, long depth, double eta)
            throws Exception {
        return (XGBoostModel)
                new XGBoostMember()
                        .trainer(
                                new MemberSettings(
                                        objective,
                                        5,
                                        2,
                                        Map.of(
                                                "num_round", rounds,
                                                "max_depth", depth,
                                                "eta", eta,
                                                "nthread", 0L,
                                                "tree_method", "hist")))
                        .train(train);
    }

    private static byte[] boosterBytes(XGBoostModel model) throws Exception {
        java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("tree-eval");
        model.save(dir);
        return java.nio.file.Files.readAllBytes(dir.resolve(XGBoostModel.MODEL_FILE));
    }
}
