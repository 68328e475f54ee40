package dev.byoe.training;

import dev.byoe.core.data.Dataset;
import dev.byoe.core.data.Feature;
import dev.byoe.core.data.FeatureBatch;
import dev.byoe.core.data.FeatureKind;
import dev.byoe.core.data.FeatureSchema;
import dev.byoe.core.data.Objective;
import dev.byoe.core.data.Target;
import java.util.List;
import java.util.Random;

/** Generated data with a known signal in two numeric columns and one categorical column. */
public final class SyntheticData {
    public static final FeatureSchema SCHEMA =
            new FeatureSchema(
                    List.of(
                            new Feature("x0", FeatureKind.NUMERIC),
                            new Feature("colour", FeatureKind.CATEGORICAL),
                            new Feature("x1", FeatureKind.NUMERIC)));
    private static final String[] COLOURS = {"red", "green", "blue"};

    private SyntheticData() {}

    public static Dataset make(Objective objective, int rows, long seed) {
        Random r = new Random(seed);
        float[] num = new float[rows * 2];
        String[] cat = new String[rows];
        double[] labels = new double[rows];
        for (int i = 0; i < rows; i++) {
            float x0 = (float) r.nextGaussian();
            float x1 = (float) r.nextGaussian();
            int colour = r.nextInt(3);
            num[i * 2] = x0;
            num[i * 2 + 1] = i % 17 == 0 ? Float.NaN : x1;
            cat[i] = COLOURS[colour];
            double signal = 3 * x0 - 2 * x1 + (colour == 2 ? 2.5 : 0);
            labels[i] =
                    switch (objective) {
                        case REGRESSION -> signal + 0.3 * r.nextGaussian();
                        case BINARY -> signal + r.nextGaussian() > 0.5 ? 1 : 0;
                        case MULTICLASS -> signal < -1 ? 0 : signal < 2 ? 1 : 2;
                    };
        }
        List<String> classes =
                switch (objective) {
                    case REGRESSION -> List.of();
                    case BINARY -> List.of("0", "1");
                    case MULTICLASS -> List.of("low", "mid", "high");
                };
        return new Dataset(
                new FeatureBatch(SCHEMA, rows, num, cat),
                labels,
                new Target("y", objective, classes));
    }

    /** The same signal without the categorical column: what numeric-only models see. */
    public static Dataset numeric(Objective objective, int rows, long seed) {
        Dataset full = make(objective, rows, seed);
        FeatureSchema schema =
                new FeatureSchema(
                        List.of(
                                new Feature("x0", FeatureKind.NUMERIC),
                                new Feature("x1", FeatureKind.NUMERIC)));
        return new Dataset(
                new FeatureBatch(schema, rows, full.features().numeric(), new String[0]),
                full.labels(),
                full.target());
    }
}
