package dev.byoe.core.data;

/**
 * A block of predictions, {@code width} values per row, row-major. Regression: the value; binary:
 * P(positive class); multiclass: one probability per class.
 */
public record Predictions(int rows, int width, double[] values) {
    public Predictions {
        if (values.length != rows * width) {
            throw new IllegalArgumentException(values.length + " values for " + rows + "x" + width);
        }
    }

    public double get(int row, int column) {
        return values[row * width + column];
    }

    /** Index of the largest value in a row: the predicted class for multiclass output. */
    public int argmax(int row) {
        int best = 0;
        for (int c = 1; c < width; c++) {
            if (values[row * width + c] > values[row * width + best]) {
                best = c;
            }
        }
        return best;
    }

    /** Writes rows of {@code part} into this block starting at {@code rows[i]} (fold results). */
    public static Predictions scatter(
            int totalRows, int width, int[][] rowsPerPart, Predictions[] parts) {
        double[] out = new double[totalRows * width];
        for (int p = 0; p < parts.length; p++) {
            int[] rows = rowsPerPart[p];
            for (int i = 0; i < rows.length; i++) {
                System.arraycopy(parts[p].values, i * width, out, rows[i] * width, width);
            }
        }
        return new Predictions(totalRows, width, out);
    }
}
