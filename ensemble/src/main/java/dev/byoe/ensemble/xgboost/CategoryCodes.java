package dev.byoe.ensemble.xgboost;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.byoe.ensemble.data.Dataset;
import dev.byoe.ensemble.data.FeatureBatch;
import dev.byoe.ensemble.data.FeatureSchema;
import dev.byoe.ensemble.data.Objective;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns categorical cells into numbers XGBoost can split on. Categories are numbered in order of
 * their mean label (regression, binary), so that one threshold split on the code separates
 * high-label from low-label categories as a partition would; for multiclass by frequency.
 * Missing and unseen categories become {@code NaN}, which XGBoost routes as missing.
 */
final class CategoryCodes {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Per categorical slot: category names in code order. */
    private final List<List<String>> categories;
    private final List<Map<String, Float>> codes;

    CategoryCodes(List<List<String>> categories) {
        this.categories = categories;
        this.codes = new ArrayList<>();
        for (List<String> names : categories) {
            Map<String, Float> m = HashMap.newHashMap(names.size());
            for (int i = 0; i < names.size(); i++) {
                m.put(names.get(i), (float) i);
            }
            codes.add(m);
        }
    }

    static CategoryCodes fit(Dataset data) {
        FeatureSchema schema = data.schema();
        FeatureBatch batch = data.features();
        boolean byLabel = data.target().objective() != Objective.MULTICLASS;
        List<List<String>> all = new ArrayList<>();
        for (int slot = 0; slot < schema.categoricalCount(); slot++) {
            Map<String, double[]> stats = new HashMap<>(); // name -> {count, labelSum}
            for (int r = 0; r < batch.rows(); r++) {
                String v = batch.categorical(r, slot);
                if (v != null) {
                    double[] s = stats.computeIfAbsent(v, k -> new double[2]);
                    s[0]++;
                    s[1] += data.labels()[r];
                }
            }
            List<String> names = new ArrayList<>(stats.keySet());
            Comparator<String> order = byLabel
                    ? Comparator.comparingDouble(n -> stats.get(n)[1] / stats.get(n)[0])
                    : Comparator.comparingDouble(n -> -stats.get(n)[0]);
            names.sort(order.thenComparing(Comparator.naturalOrder()));
            all.add(names);
        }
        return new CategoryCodes(all);
    }

    /** Row-major matrix of all features in schema order, categoricals as codes; read it, never change it. */
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
                if (schema.feature(c).kind() == dev.byoe.ensemble.data.FeatureKind.NUMERIC) {
                    out[base + c] = num[r * nn + slot];
                } else {
                    String v = cat[r * nc + slot];
                    Float code = v == null ? null : codes.get(slot).get(v);
                    out[base + c] = code == null ? Float.NaN : code;
                }
            }
        }
        return out;
    }

    void save(Path file) throws IOException {
        JSON.writerWithDefaultPrettyPrinter().writeValue(file.toFile(), Map.of("categories", categories));
    }

    @SuppressWarnings("unchecked")
    static CategoryCodes load(Path file) throws IOException {
        Map<String, Object> m = JSON.readValue(file.toFile(), Map.class);
        return new CategoryCodes((List<List<String>>) m.get("categories"));
    }

    int slots() {
        return categories.size();
    }
}
