package dev.byoe.training.xgboost;

import java.util.Arrays;

/**
 * Puts each feature's values on a grid of at most {@code max_bin} points taken at the quantiles of
 * all the rows, so that XGBoost's histogram method finds the same bins however the rows are split
 * across hosts.
 *
 * <p>On one host XGBoost sketches each feature's quantiles from every row; on several hosts each
 * sketches its share and the sketches are merged, which places a few cut points elsewhere and grows
 * different trees. A feature with no more distinct values than bins is cut exactly, at its values,
 * either way. So every host computes this grid from all rows (each holds them all when the channel
 * is replicated) and trains on values moved down onto it: XGBoost then cuts at the grid points
 * alone, on one host or many. A raw value and its grid point fall on the same side of every grid
 * point, so the trees route served (raw) rows exactly as the training rows.
 */
final class HistogramGrid {
    private HistogramGrid() {}

    /**
     * {@code x} (row-major, {@code cols} wide) with every value replaced by the largest grid point
     * not above it; missing values stay missing. Columns with at most {@code bins} distinct values
     * are left as they are.
     */
    static float[] snap(float[] x, int rows, int cols, int bins) {
        float[] out = x.clone();
        float[] column = new float[rows];
        for (int c = 0; c < cols; c++) {
            int n = 0;
            for (int r = 0; r < rows; r++) {
                float v = x[r * cols + c];
                if (!Float.isNaN(v)) {
                    column[n++] = v;
                }
            }
            float[] grid = grid(Arrays.copyOf(column, n), bins);
            if (grid == null) {
                continue;
            }
            for (int r = 0; r < rows; r++) {
                float v = x[r * cols + c];
                if (!Float.isNaN(v)) {
                    int i = Arrays.binarySearch(grid, v);
                    out[r * cols + c] = grid[i >= 0 ? i : -i - 2];
                }
            }
        }
        return out;
    }

    /**
     * Grid points at the rank quantiles of {@code values} (the smallest value first, so that every
     * value has a point at or below it); null when the values have no more distinct values than
     * {@code bins} and need no grid.
     */
    static float[] grid(float[] values, int bins) {
        if (values.length == 0) {
            return null;
        }
        Arrays.sort(values);
        int distinct = 1;
        for (int i = 1; i < values.length && distinct <= bins; i++) {
            if (values[i] != values[i - 1]) {
                distinct++;
            }
        }
        if (distinct <= bins) {
            return null;
        }
        float[] points = new float[bins];
        int k = 0;
        for (int b = 0; b < bins; b++) {
            float v = values[(int) ((long) values.length * b / bins)];
            if (k == 0 || v != points[k - 1]) {
                points[k++] = v;
            }
        }
        return Arrays.copyOf(points, k);
    }
}
