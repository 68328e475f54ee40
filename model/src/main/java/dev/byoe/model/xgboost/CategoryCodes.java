package dev.byoe.model.xgboost;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.byoe.core.Json;
import dev.byoe.core.data.FeatureBatch;
import dev.byoe.core.data.FeatureKind;
import dev.byoe.core.data.FeatureSchema;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns categorical cells into the numbers an XGBoost model was trained on: per categorical column,
 * each category's value (its smoothed mean label for regression and binary targets, its frequency
 * rank for multiclass) and the value of a category never seen in training (the prior, or missing).
 * Missing cells are {@code NaN}, which XGBoost routes as missing. Models written before target
 * values existed hold category names only; their codes are the names' positions and unseen
 * categories are missing. The training module's {@code CategoryCodesFit} computes the values.
 */
public final class CategoryCodes {
    private static final ObjectMapper JSON = Json.MAPPER;

    /** Per categorical slot: category names in code order. */
    private final List<List<String>> categories;

    /** Per slot: the value of each category; {@code null} for position codes. */
    private final List<float[]> values;

    /** Per slot: the value of an unseen category ({@code NaN} for position codes). */
    private final float[] unseen;

    private final List<Map<String, Float>> codes = new ArrayList<>();

    /**
     * Per categorical slot: category names, their values in the same order ({@code null}: position
     * codes) and the value of an unseen category.
     */
    public CategoryCodes(List<List<String>> categories, List<float[]> values, float[] unseen) {
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
    public static CategoryCodes none() {
        return new CategoryCodes(List.of(), List.of(), new float[0]);
    }

    /**
     * Row-major matrix of all features in schema order, categoricals as codes; read it, never
     * change it.
     */
    public float[] encode(FeatureBatch batch) {
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

    public void save(Path file) throws IOException {
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

    /**
     * Reads what {@link #save} wrote. From Jackson's tree, not bound to a {@code Map}: the first
     * binding in a serving JVM sets up databind's deserializers, ~7 ms of its cold start.
     */
    public static CategoryCodes load(Path file) throws IOException {
        JsonNode root = JSON.readTree(file.toFile());
        JsonNode saved = root.path("values");
        JsonNode savedUnseen = root.path("unseen");
        List<List<String>> categories = new ArrayList<>();
        List<float[]> values = new ArrayList<>();
        for (JsonNode slotCategories : root.path("categories")) {
            List<String> names = new ArrayList<>(slotCategories.size());
            slotCategories.forEach(c -> names.add(c.asText()));
            categories.add(names);
        }
        float[] unseen = new float[categories.size()];
        for (int slot = 0; slot < categories.size(); slot++) {
            JsonNode v = saved.path(slot);
            values.add(v.isArray() ? toFloats(v) : null);
            JsonNode u = savedUnseen.path(slot);
            unseen[slot] = u.isNumber() ? u.floatValue() : Float.NaN;
        }
        return new CategoryCodes(categories, values, unseen);
    }

    public int slots() {
        return categories.size();
    }

    /** Whether the categories of {@code slot} carry label values (rather than position codes). */
    public boolean valuedByLabel(int slot) {
        return values.get(slot) != null;
    }

    private static float[] toFloats(JsonNode numbers) {
        float[] out = new float[numbers.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = numbers.get(i).floatValue();
        }
        return out;
    }
}
