package dev.byoe.ensemble.xgboost;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.byoe.ensemble.Json;
import dev.byoe.ensemble.data.Dataset;
import dev.byoe.ensemble.data.FeatureBatch;
import dev.byoe.ensemble.data.FeatureKind;
import dev.byoe.ensemble.data.FeatureSchema;
import dev.byoe.ensemble.data.Objective;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Turns categorical cells into numbers XGBoost can split on.
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
final class CategoryCodes {
    private static final ObjectMapper JSON = Json.MAPPER;

    /** Pseudo-rows of the prior mixed into each category's mean. */
    static final double PRIOR_WEIGHT = 10;

    /** Folds of the out-of-fold values given to the training rows. */
    static final int FOLDS = 5;

    /** Per categorical slot: category names in code order. */
    private final List<List<String>> categories;

    /** Per slot: the value of each category; {@code null} for position codes. */
    private final List<float[]> values;

    /** Per slot: the value of an unseen category ({@code NaN} for position codes). */
    private final float[] unseen;

    private final List<Map<String, Float>> codes = new ArrayList<>();

    private CategoryCodes(List<List<String>> categories, List<float[]> values, float[] unseen) {
        this.categories = categories;
        this.values = values;
        this.unseen = unseen;
        for (int slot = 0; slot < categories.size(); slot++) {
            List<String> names = categories.get(slot);
            float[] v = values.get(slot);
            Map<String, Float> m = HashMap.newHashMap(names.size());
            for (int i = 0; i < names.size(); i++) {
                m.put(names.get(i), v == null ? (float) i : v[i]);
            }
            codes.add(m);
        }
    }

    /** No categorical features. */
    static CategoryCodes none() {
        return new CategoryCodes(List.of(), List.of(), new float[0]);
    }

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
     * The matrix XGBoost trains on: as {@link #encode}, except that target-valued categories get
     * out-of-fold values, so that no row's value was computed from its own label.
     */
    float[] encodeTraining(Dataset data, long seed) {
        float[] out = encode(data.features());
        FeatureSchema schema = data.schema();
        if (schema.categoricalCount() == 0 || values.stream().allMatch(v -> v == null)) {
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
                    || values.get(schema.slot(c)) == null) {
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
     * Row-major matrix of all features in schema order, categoricals as codes; read it, never
     * change it.
     */
    float[] encode(FeatureBatch batch) {
        FeatureSchema schema = batch.schema();
        int nc = schema.categoricalCount();
        float[] num = batch.numeric();
        if (nc == 0) {
            // Numeric-only schema: the batch's array already is the matrix (batches are immutable).
            return num;
        }
        int cols = schema.size();
        int rows = batch.rows();
        float[] out = new float[rows * cols];
        int nn = schema.numericCount();
        String[] cat = batch.categorical();
        for (int r = 0; r < rows; r++) {
            int base = r * cols;
            for (int c = 0; c < cols; c++) {
                int slot = schema.slot(c);
                if (schema.feature(c).kind() == FeatureKind.NUMERIC) {
                    out[base + c] = num[r * nn + slot];
                } else {
                    String v = cat[r * nc + slot];
                    Float code = v == null ? null : codes.get(slot).get(v);
                    out[base + c] = v == null ? Float.NaN : code == null ? unseen[slot] : code;
                }
            }
        }
        return out;
    }

    void save(Path file) throws IOException {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("categories", categories);
        m.put("values", values);
        List<Float> unseenValues = new ArrayList<>();
        for (float u : unseen) {
            unseenValues.add(Float.isNaN(u) ? null : u);
        }
        m.put("unseen", unseenValues);
        JSON.writerWithDefaultPrettyPrinter().writeValue(file.toFile(), m);
    }

    @SuppressWarnings("unchecked")
    static CategoryCodes load(Path file) throws IOException {
        Map<String, Object> m = JSON.readValue(file.toFile(), Map.class);
        List<List<String>> categories = (List<List<String>>) m.get("categories");
        List<List<Number>> saved = (List<List<Number>>) m.get("values");
        List<Number> savedUnseen = (List<Number>) m.get("unseen");
        List<float[]> values = new ArrayList<>();
        float[] unseen = new float[categories.size()];
        for (int slot = 0; slot < categories.size(); slot++) {
            List<Number> v = saved == null ? null : saved.get(slot);
            values.add(v == null ? null : toFloats(v));
            Number u = savedUnseen == null ? null : savedUnseen.get(slot);
            unseen[slot] = u == null ? Float.NaN : u.floatValue();
        }
        return new CategoryCodes(categories, values, unseen);
    }

    int slots() {
        return categories.size();
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

    private static float[] toFloats(List<Number> numbers) {
        float[] out = new float[numbers.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = numbers.get(i).floatValue();
        }
        return out;
    }
}
