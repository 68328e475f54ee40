package dev.byoe.training.xgboost;

import dev.byoe.core.data.Dataset;
import dev.byoe.core.data.FeatureBatch;
import dev.byoe.core.data.FeatureKind;
import dev.byoe.core.data.FeatureSchema;
import dev.byoe.core.data.Objective;
import dev.byoe.model.xgboost.CategoryCodes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Fits {@link CategoryCodes}, the numbers XGBoost splits categorical cells on.
 *
 * <p>Regression and binary: each category's value is its smoothed mean label {@code (sum + m *
 * prior) / (count + m)}, so that one threshold split separates high-label from low-label categories
 * as a partition would. A value computed on the very rows being fitted leaks their labels (an
 * id-like column, one row per category, would give each row its own label), so the rows XGBoost
 * trains on get <em>out-of-fold</em> values ({@link #encodeTraining}): each row's value comes from
 * the other folds only, and a category seen nowhere else gets the prior, which carries no signal.
 * Served rows get the values from all training rows; a category never seen in training gets the
 * prior, as rare categories did in training.
 *
 * <p>Multiclass: codes in order of frequency (no label involved). Missing cells are {@code NaN},
 * which XGBoost routes as missing. Models written before target values existed hold category names
 * only; their codes are the names' positions and unseen categories are missing.
 */
final class CategoryCodesFit {
    /** Pseudo-rows of the prior mixed into each category's mean. */
    static final double PRIOR_WEIGHT = 10;

    /** Folds of the out-of-fold values given to the training rows. */
    static final int FOLDS = 5;

    private CategoryCodesFit() {}

    /** The codes of every categorical column of {@code data}, from all its rows. */
    static CategoryCodes fit(Dataset data) {
        FeatureSchema schema = data.schema();
        FeatureBatch batch = data.features();
        boolean byLabel = data.target().objective() != Objective.MULTICLASS;
        double prior = byLabel ? mean(data.labels()) : Double.NaN;
        List<List<String>> all = new ArrayList<>();
        List<float[]> values = new ArrayList<>();
        float[] unseen = new float[schema.categoricalCount()];
        for (int slot = 0; slot < schema.categoricalCount(); slot++) {
            Map<String, double[]> stats = statistics(data, slot, null, -1);
            List<String> names = new ArrayList<>(stats.keySet());
            if (byLabel) {
                Map<String, Double> value = new HashMap<>();
                stats.forEach((n, s) -> value.put(n, smoothed(s, prior)));
                names.sort(
                        Comparator.comparingDouble((String n) -> value.get(n))
                                .thenComparing(Comparator.naturalOrder()));
                float[] v = new float[names.size()];
                for (int i = 0; i < v.length; i++) {
                    v[i] = (float) (double) value.get(names.get(i));
                }
                values.add(v);
                unseen[slot] = (float) prior;
            } else {
                names.sort(
                        Comparator.comparingDouble((String n) -> -stats.get(n)[0])
                                .thenComparing(Comparator.naturalOrder()));
                values.add(null);
                unseen[slot] = Float.NaN;
            }
            all.add(names);
        }
        return new CategoryCodes(all, values, unseen);
    }

    /**
     * The matrix XGBoost trains on: as {@link CategoryCodes#encode}, except that target-valued
     * categories get out-of-fold values, so that no row's value was computed from its own label.
     */
    static float[] encodeTraining(CategoryCodes codes, Dataset data, long seed) {
        float[] out = codes.encode(data.features());
        FeatureSchema schema = data.schema();
        if (schema.categoricalCount() == 0
                || java.util.stream.IntStream.range(0, codes.slots())
                        .noneMatch(codes::valuedByLabel)) {
            return out;
        }
        int rows = data.rows();
        int[] fold = new int[rows];
        SplittableRandom random = new SplittableRandom(seed);
        for (int r = 0; r < rows; r++) {
            fold[r] = random.nextInt(FOLDS);
        }
        double[] labels = data.labels();
        double[] priors = new double[FOLDS]; // each fold's prior: the mean label of the other folds
        for (int f = 0; f < FOLDS; f++) {
            priors[f] = meanOutside(labels, fold, f);
        }
        int cols = schema.size();
        for (int c = 0; c < cols; c++) {
            if (schema.feature(c).kind() != FeatureKind.CATEGORICAL
                    || !codes.valuedByLabel(schema.slot(c))) {
                continue;
            }
            int slot = schema.slot(c);
            for (int f = 0; f < FOLDS; f++) {
                double prior = priors[f];
                Map<String, double[]> stats = statistics(data, slot, fold, f);
                for (int r = 0; r < rows; r++) {
                    if (fold[r] != f) {
                        continue;
                    }
                    String v = data.features().categorical(r, slot);
                    if (v != null) {
                        double[] s = stats.get(v);
                        out[r * cols + c] = (float) (s == null ? prior : smoothed(s, prior));
                    }
                }
            }
        }
        return out;
    }

    /**
     * Per category of {@code slot}: {count, label sum}, over the rows not in {@code leftOut} (all
     * when {@code folds} is null).
     */
    private static Map<String, double[]> statistics(
            Dataset data, int slot, int[] folds, int leftOut) {
        Map<String, double[]> stats = new HashMap<>();
        FeatureBatch batch = data.features();
        for (int r = 0; r < batch.rows(); r++) {
            String v = batch.categorical(r, slot);
            if (v != null && (folds == null || folds[r] != leftOut)) {
                double[] s = stats.computeIfAbsent(v, k -> new double[2]);
                s[0]++;
                s[1] += data.labels()[r];
            }
        }
        return stats;
    }

    private static double smoothed(double[] countAndSum, double prior) {
        return (countAndSum[1] + PRIOR_WEIGHT * prior) / (countAndSum[0] + PRIOR_WEIGHT);
    }

    private static double mean(double[] labels) {
        double sum = 0;
        for (double l : labels) {
            sum += l;
        }
        return labels.length == 0 ? 0 : sum / labels.length;
    }

    private static double meanOutside(double[] labels, int[] fold, int leftOut) {
        double sum = 0;
        int n = 0;
        for (int r = 0; r < labels.length; r++) {
            if (fold[r] != leftOut) {
                sum += labels[r];
                n++;
            }
        }
        return n == 0 ? mean(labels) : sum / n;
    }
}
