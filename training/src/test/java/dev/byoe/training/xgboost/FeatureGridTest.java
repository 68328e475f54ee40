package dev.byoe.training.xgboost;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.byoe.core.data.Dataset;
import dev.byoe.core.data.Feature;
import dev.byoe.core.data.FeatureBatch;
import dev.byoe.core.data.FeatureKind;
import dev.byoe.core.data.FeatureSchema;
import dev.byoe.core.data.Objective;
import dev.byoe.core.data.Target;
import dev.byoe.model.member.MemberModel;
import dev.byoe.training.member.FeatureGrid;
import dev.byoe.training.member.MemberSettings;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class FeatureGridTest {
    @Test
    void aFeatureWithFewValuesIsLeftAlone() {
        float[] few = new float[1000];
        for (int i = 0; i < few.length; i++) {
            few[i] = i % 40;
        }
        assertNull(FeatureGrid.fromCounts(FeatureGrid.valueCounts(few, 1000, 1), 255)[0]);
        assertArrayEquals(few, FeatureGrid.snap(few, 1000, 1, 255));
    }

    @Test
    void everyValueMovesDownOntoAGridPointOnTheSameSideOfEveryPoint() {
        SplittableRandom r = new SplittableRandom(3);
        float[] x = new float[5000];
        for (int i = 0; i < x.length; i++) {
            x[i] = i % 97 == 0 ? Float.NaN : (float) r.nextGaussian();
        }
        float[] grid = FeatureGrid.fromCounts(FeatureGrid.valueCounts(x, x.length, 1), 63)[0];
        assertTrue(grid.length <= 63 && grid.length > 50, "points: " + grid.length);
        float[] snapped = FeatureGrid.snap(x, x.length, 1, 63);
        for (int i = 0; i < x.length; i++) {
            if (Float.isNaN(x[i])) {
                assertTrue(Float.isNaN(snapped[i]), "missing stays missing");
                continue;
            }
            assertTrue(Arrays.binarySearch(grid, snapped[i]) >= 0, "on the grid");
            for (float g : grid) {
                assertEquals(x[i] < g, snapped[i] < g, "same side of " + g);
            }
        }
    }

    @Test
    void hostsCountingTheirOwnRowsGetTheGridOfAllRows() {
        SplittableRandom r = new SplittableRandom(5);
        int rows = 3000;
        float[] x = new float[rows * 2];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) Math.round(r.nextGaussian() * 1000) / 100;
        }
        float[][] all = FeatureGrid.fromCounts(FeatureGrid.valueCounts(x, rows, 2), 100);
        float[] first = Arrays.copyOfRange(x, 0, 1000 * 2);
        float[] rest = Arrays.copyOfRange(x, 1000 * 2, x.length);
        float[][] merged =
                FeatureGrid.fromCounts(
                        FeatureGrid.merge(
                                List.of(
                                        FeatureGrid.valueCounts(first, 1000, 2),
                                        FeatureGrid.valueCounts(rest, rows - 1000, 2))),
                        100);
        for (int c = 0; c < 2; c++) {
            assertTrue(all[c] != null && all[c].length > 90, "a grid of about 100 points");
            assertArrayEquals(all[c], merged[c], 0f);
        }
    }

    @Test
    void coarsenedCountsPutEveryPointWithinOneStepOfItsRank() {
        SplittableRandom r = new SplittableRandom(8);
        int rows = 50_000;
        float[] x = new float[rows];
        for (int i = 0; i < rows; i++) {
            x[i] = (float) r.nextGaussian();
        }
        var counts = FeatureGrid.valueCounts(x, rows, 1);
        float[] exact = FeatureGrid.fromCounts(counts, 100)[0];
        float[] coarse = FeatureGrid.fromCounts(FeatureGrid.coarsen(counts, 1000), 100)[0];
        assertEquals(1000, FeatureGrid.coarsen(counts, 1000).getFirst().size(), 0);
        float[] sorted = x.clone();
        Arrays.sort(sorted);
        assertEquals(exact.length, coarse.length);
        for (int p = 0; p < exact.length; p++) {
            int a = Arrays.binarySearch(sorted, exact[p]);
            int b = Arrays.binarySearch(sorted, coarse[p]);
            assertTrue(
                    Math.abs(a - b) <= rows / 1000 + 1, "point " + p + ": ranks " + a + ", " + b);
        }
    }

    @Test
    void treesTrainedOnTheGridRouteRawRowsAsTheirGridValues() throws Exception {
        int rows = 4000;
        SplittableRandom r = new SplittableRandom(9);
        float[] x = new float[rows * 3];
        double[] y = new double[rows];
        for (int i = 0; i < rows; i++) {
            for (int c = 0; c < 3; c++) {
                x[i * 3 + c] = (float) r.nextGaussian();
            }
            y[i] = Math.sin(3 * x[i * 3]) + x[i * 3 + 1] * x[i * 3 + 2] + 0.1 * r.nextGaussian();
        }
        FeatureSchema schema =
                new FeatureSchema(
                        List.of(
                                new Feature("a", FeatureKind.NUMERIC),
                                new Feature("b", FeatureKind.NUMERIC),
                                new Feature("c", FeatureKind.NUMERIC)));
        Target target = new Target("y", Objective.REGRESSION, List.of());
        Dataset data = new Dataset(new FeatureBatch(schema, rows, x, new String[0]), y, target);
        MemberSettings settings =
                new MemberSettings(
                        Objective.REGRESSION,
                        1,
                        1,
                        Map.of(
                                "num_round",
                                50L,
                                "max_depth",
                                6L,
                                "eta",
                                0.3,
                                "nthread",
                                1L,
                                "tree_method",
                                "hist"));
        float[] snapped = FeatureGrid.snap(x, rows, 3, XGBoostMember.DEFAULT_BINS - 1);
        assertNotEquals(Arrays.toString(x), Arrays.toString(snapped), "the grid moved values");
        try (MemberModel model = new XGBoostMember().trainer(settings).train(data)) {
            double[] raw = model.predict(data.features()).values();
            double[] onGrid =
                    model.predict(new FeatureBatch(schema, rows, snapped, new String[0])).values();
            assertArrayEquals(onGrid, raw, 0.0);
        }
    }
}
