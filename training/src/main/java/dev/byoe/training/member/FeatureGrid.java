package dev.byoe.training.member;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Puts each feature's values on a grid of quantile points of all the rows, so that a member that
 * bins features (XGBoost's histogram method) finds the same bins however the rows are split across
 * hosts.
 *
 * <p>On one host XGBoost sketches each feature's quantiles from every row; on several hosts each
 * sketches its share and the sketches are merged, which places a few cut points elsewhere and grows
 * different trees. A feature with no more distinct values than bins is cut exactly, at its values,
 * either way. So the grid comes from all rows (each host computes it when it holds them all; the
 * leader computes it from every host's {@link #valueCounts} when each holds its own files), and
 * training sees values moved down onto it: the member then cuts at the grid points alone, on one
 * host or many. A raw value and its grid point fall on the same side of every grid point, so the
 * trees route served (raw) rows exactly as the training rows.
 */
public final class FeatureGrid {
    private FeatureGrid() {}

    /**
     * {@code x} (row-major, {@code cols} wide) with every value replaced by the largest point of
     * its column's grid not above it, the grid taken from {@code x} itself; missing values stay
     * missing. Columns with at most {@code points} distinct values are left as they are.
     */
    public static float[] snap(float[] x, int rows, int cols, int points) {
        return snap(x, rows, cols, fromCounts(valueCounts(x, rows, cols), points));
    }

    /** As {@link #snap(float[], int, int, int)}, on given grids (a null grid leaves its column). */
    public static float[] snap(float[] x, int rows, int cols, float[][] grids) {
        float[] out = x.clone();
        for (int c = 0; c < cols; c++) {
            float[] grid = grids[c];
            if (grid == null) {
                continue;
            }
            for (int r = 0; r < rows; r++) {
                float v = x[r * cols + c];
                if (!Float.isNaN(v)) {
                    int i = Arrays.binarySearch(grid, v == 0 ? 0f : v);
                    out[r * cols + c] = grid[i >= 0 ? i : Math.max(0, -i - 2)];
                }
            }
        }
        return out;
    }

    /** Each column's distinct values and how often each occurs (missing values left out). */
    public static List<SortedMap<Float, Long>> valueCounts(float[] x, int rows, int cols) {
        List<SortedMap<Float, Long>> out = new ArrayList<>();
        for (int c = 0; c < cols; c++) {
            SortedMap<Float, Long> counts = new TreeMap<>();
            for (int r = 0; r < rows; r++) {
                float v = x[r * cols + c];
                if (!Float.isNaN(v)) {
                    // -0 and 0 are one value, as a comparison sees them.
                    counts.merge(v == 0 ? 0f : v, 1L, Long::sum);
                }
            }
            out.add(counts);
        }
        return out;
    }

    /**
     * At most {@code limit} values per column, for sending: a column with more keeps every {@code
     * n/limit}-th value in order, each carrying the count of the values up to the next kept one.
     * Quantile points made from it are data values whose ranks are off by less than {@code 1/limit}
     * of the rows.
     */
    public static List<SortedMap<Float, Long>> coarsen(
            List<SortedMap<Float, Long>> counts, int limit) {
        List<SortedMap<Float, Long>> out = new ArrayList<>();
        for (SortedMap<Float, Long> column : counts) {
            if (column.size() <= limit) {
                out.add(column);
                continue;
            }
            SortedMap<Float, Long> coarse = new TreeMap<>();
            int step = (column.size() + limit - 1) / limit;
            int i = 0;
            Float kept = null;
            for (Map.Entry<Float, Long> e : column.entrySet()) {
                if (i++ % step == 0) {
                    kept = e.getKey();
                }
                coarse.merge(kept, e.getValue(), Long::sum);
            }
            out.add(coarse);
        }
        return out;
    }

    /** The counts of several hosts' rows as one. */
    public static List<SortedMap<Float, Long>> merge(
            List<? extends List<? extends Map<Float, Long>>> parts) {
        List<SortedMap<Float, Long>> out = new ArrayList<>();
        for (List<? extends Map<Float, Long>> part : parts) {
            for (int c = 0; c < part.size(); c++) {
                if (out.size() <= c) {
                    out.add(new TreeMap<>());
                }
                SortedMap<Float, Long> into = out.get(c);
                part.get(c).forEach((v, n) -> into.merge(v, n, Long::sum));
            }
        }
        return out;
    }

    /**
     * Each column's grid: at most {@code points} points at the rank quantiles of its values, the
     * smallest value first (so that every value has a point at or below it); null for a column with
     * no more distinct values than {@code points}, which needs none.
     */
    public static float[][] fromCounts(List<SortedMap<Float, Long>> counts, int points) {
        float[][] grids = new float[counts.size()][];
        for (int c = 0; c < grids.length; c++) {
            grids[c] = grid(counts.get(c), points);
        }
        return grids;
    }

    private static float[] grid(SortedMap<Float, Long> counts, int points) {
        if (counts.size() <= points) {
            return null;
        }
        long total = 0;
        for (long n : counts.values()) {
            total += n;
        }
        float[] out = new float[points];
        int k = 0;
        int b = 0;
        long seen = 0;
        for (Map.Entry<Float, Long> e : counts.entrySet()) {
            seen += e.getValue();
            // Points go at ranks total * b / points; this value covers ranks below `seen`.
            while (b < points && total * b / points < seen) {
                if (k == 0 || out[k - 1] != e.getKey()) {
                    out[k++] = e.getKey();
                }
                b++;
            }
        }
        return Arrays.copyOf(out, k);
    }
}
