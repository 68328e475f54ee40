package dev.byoe.serve.codec;

import dev.byoe.core.data.Cells;
import dev.byoe.core.data.FeatureBatch;
import dev.byoe.core.data.FeatureKind;
import dev.byoe.core.data.FeatureSchema;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Builds a {@link FeatureBatch} cell by cell while a request body is decoded, checking each cell
 * against the model's schema. Errors name the row (1-based) and the column (index and name).
 */
final class RowBuilder {
    private final FeatureSchema schema;
    private final int nn;
    private final int nc;
    private float[] numeric;
    private String[] categorical;
    private int rows;

    RowBuilder(FeatureSchema schema, int expectedRows) {
        this.schema = schema;
        this.nn = schema.numericCount();
        this.nc = schema.categoricalCount();
        int cap = Math.max(1, expectedRows);
        this.numeric = new float[cap * nn];
        this.categorical = new String[cap * nc];
    }

    /** Starts a row with every cell missing; returns its 0-based index. */
    int startRow() {
        if ((rows + 1) * nn > numeric.length || (rows + 1) * nc > categorical.length) {
            int cap = Math.max(rows * 2, 16);
            numeric = Arrays.copyOf(numeric, cap * nn);
            categorical = Arrays.copyOf(categorical, cap * nc);
        }
        Arrays.fill(numeric, rows * nn, (rows + 1) * nn, Float.NaN);
        return rows++;
    }

    /** Sets every numeric cell of {@code row} to {@code value} (formats where absent means 0). */
    void fillNumeric(int row, float value) {
        Arrays.fill(numeric, row * nn, (row + 1) * nn, value);
    }

    /** A numeric feature's value as a binary format carried it (NaN: missing). */
    void numeric(int row, int column, float value) {
        numeric[row * nn + schema.slot(column)] = value;
    }

    /** A text cell: parsed as a number for numeric features, kept as the category otherwise. */
    void text(int row, int column, String cell) {
        int slot = schema.slot(column);
        if (schema.feature(column).kind() == FeatureKind.CATEGORICAL) {
            categorical[row * nc + slot] = Cells.isMissing(cell) ? null : cell.strip();
            return;
        }
        try {
            numeric[row * nn + slot] = Cells.parseNumber(cell);
        } catch (NumberFormatException e) {
            throw RequestProblem.malformed(where(row, column) + ": " + e.getMessage());
        }
    }

    /** As {@link #text(int, int, String)}, for the UTF-8 cell in {@code bytes[from, to)}. */
    void text(int row, int column, byte[] bytes, int from, int to) {
        if (schema.feature(column).kind() == FeatureKind.CATEGORICAL) {
            text(row, column, new String(bytes, from, to - from, StandardCharsets.UTF_8));
            return;
        }
        try {
            numeric[row * nn + schema.slot(column)] =
                    Cells.parseNumber(bytes, from, to, StandardCharsets.UTF_8);
        } catch (NumberFormatException e) {
            throw RequestProblem.malformed(where(row, column) + ": " + e.getMessage());
        }
    }

    void number(int row, int column, double value, String text) {
        if (schema.feature(column).kind() == FeatureKind.CATEGORICAL) {
            categorical[row * nc + schema.slot(column)] = text;
            return;
        }
        if (!Double.isFinite(value) || Math.abs(value) > Float.MAX_VALUE) {
            throw RequestProblem.malformed(
                    where(row, column) + ": " + text + " is not a finite 32-bit number");
        }
        numeric[row * nn + schema.slot(column)] = (float) value;
    }

    String where(int row, int column) {
        // Both 1-based, as a person counts rows and columns in a CSV file.
        return "row "
                + (row + 1)
                + ", column "
                + (column + 1)
                + " ('"
                + schema.feature(column).name()
                + "')";
    }

    FeatureBatch build() {
        if (rows == 0) {
            throw RequestProblem.malformed("the request has no rows");
        }
        float[] num = numeric.length == rows * nn ? numeric : Arrays.copyOf(numeric, rows * nn);
        String[] cat =
                categorical.length == rows * nc
                        ? categorical
                        : Arrays.copyOf(categorical, rows * nc);
        return new FeatureBatch(schema, rows, num, cat);
    }
}
