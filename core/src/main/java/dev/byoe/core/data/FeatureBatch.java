package dev.byoe.core.data;

import java.util.Objects;

/**
 * Rows of features in two row-major arrays: numeric cells ({@code NaN} = missing) and categorical
 * cells ({@code null} = missing). Members read the kind they need without re-parsing text; the
 * arrays are shared, not copied, so a batch must not be changed once built.
 */
public final class FeatureBatch {
    private final FeatureSchema schema;
    private final int rows;
    private final float[] numeric;
    private final String[] categorical;

    public FeatureBatch(FeatureSchema schema, int rows, float[] numeric, String[] categorical) {
        this.schema = Objects.requireNonNull(schema);
        if (numeric.length != rows * schema.numericCount()) {
            throw new IllegalArgumentException(
                    "numeric cells: " + numeric.length + " for " + rows + " rows");
        }
        if (categorical.length != rows * schema.categoricalCount()) {
            throw new IllegalArgumentException(
                    "categorical cells: " + categorical.length + " for " + rows + " rows");
        }
        this.rows = rows;
        this.numeric = numeric;
        this.categorical = categorical;
    }

    public FeatureSchema schema() {
        return schema;
    }

    public int rows() {
        return rows;
    }

    /** Row-major numeric cells, {@code rows * schema.numericCount()} long. */
    public float[] numeric() {
        return numeric;
    }

    /** Row-major categorical cells, {@code rows * schema.categoricalCount()} long. */
    public String[] categorical() {
        return categorical;
    }

    public float numeric(int row, int slot) {
        return numeric[row * schema.numericCount() + slot];
    }

    public String categorical(int row, int slot) {
        return categorical[row * schema.categoricalCount() + slot];
    }

    /** The rows at {@code indices}, in that order (used for cross-validation folds). */
    public FeatureBatch select(int[] indices) {
        int nn = schema.numericCount();
        int nc = schema.categoricalCount();
        float[] num = new float[indices.length * nn];
        String[] cat = new String[indices.length * nc];
        for (int i = 0; i < indices.length; i++) {
            System.arraycopy(numeric, indices[i] * nn, num, i * nn, nn);
            System.arraycopy(categorical, indices[i] * nc, cat, i * nc, nc);
        }
        return new FeatureBatch(schema, indices.length, num, cat);
    }
}
