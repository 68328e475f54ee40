package dev.byoe.model.xgboost;

/**
 * The same trees padded to one depth, so that a row reaches its leaf in exactly {@code depth}
 * steps: node {@code i}'s children are {@code 2i+1} and {@code 2i+2}, and a leaf above the bottom
 * is copied into every bottom slot beneath it (the padded splits then lead to equal values either
 * way). With no loop exit to predict and the branch turned into an index computation, a block of
 * rows walks one tree level by level: the rows' steps do not wait for each other, so the processor
 * overlaps their memory loads. bench/RESULTS.md has the measurement against the node walk.
 *
 * <p>A missing value (NaN) takes each split's own default direction ({@code missingRight}). Rows
 * without one, nearly all in most requests, walk without looking for it; rows with one walk apart,
 * in a loop that checks for it at every split.
 */
final class CompleteTrees {
    /** Deeper trees would grow by up to 2^depth nodes each; they keep the node walk. */
    static final int MAX_DEPTH = 10;

    /**
     * Below this many rows, each row walks the padded trees on its own (TreeWalkBenchmark: one row
     * takes 1.2 us that way and 4.6 us level by level; the two are even at 4 rows, and level by
     * level is 1.4x faster at 1000).
     */
    static final int LEVEL_BY_LEVEL_FROM = 4;

    private final int depth;
    private final int internal;
    private final int groups;
    private final int[] treeGroup;
    private final int[] feature;
    private final float[] threshold;
    private final boolean[] missingRight;
    private final float[] leaf;

    private CompleteTrees(
            int depth,
            int groups,
            int[] treeGroup,
            int[] feature,
            float[] threshold,
            boolean[] missingRight,
            float[] leaf) {
        this.depth = depth;
        this.internal = (1 << depth) - 1;
        this.groups = groups;
        this.treeGroup = treeGroup;
        this.feature = feature;
        this.threshold = threshold;
        this.missingRight = missingRight;
        this.leaf = leaf;
    }

    int depth() {
        return depth;
    }

    /**
     * The padded layout of the trees given as node arrays ({@code left < 0} marks a leaf, whose
     * value is in {@code value}; a missing value goes left where {@code defaultLeft}), or null when
     * a tree is deeper than {@link #MAX_DEPTH}.
     */
    static CompleteTrees of(
            int[] roots,
            int[] treeGroup,
            int[] left,
            int[] right,
            int[] feature,
            float[] value,
            boolean[] defaultLeft,
            int groups) {
        int depth = 0;
        for (int root : roots) {
            depth = Math.max(depth, depthBelow(root, left, right, MAX_DEPTH + 1));
            if (depth > MAX_DEPTH) {
                return null;
            }
        }
        // A model of lone leaves still gets one (padded) level, so every tree has a root split.
        depth = Math.max(depth, 1);
        int internal = (1 << depth) - 1;
        int trees = roots.length;
        int[] f = new int[trees * internal];
        float[] t = new float[trees * internal];
        boolean[] m = new boolean[trees * internal];
        float[] l = new float[trees << depth];
        for (int tree = 0; tree < trees; tree++) {
            new Filler(left, right, feature, value, defaultLeft, depth, f, t, m, l, tree)
                    .fill(roots[tree], 0, 0);
        }
        return new CompleteTrees(depth, groups, treeGroup.clone(), f, t, m, l);
    }

    private static int depthBelow(int node, int[] left, int[] right, int limit) {
        if (left[node] < 0 || limit == 0) {
            return 0;
        }
        return 1
                + Math.max(
                        depthBelow(left[node], left, right, limit - 1),
                        depthBelow(right[node], left, right, limit - 1));
    }

    private record Filler(
            int[] left,
            int[] right,
            int[] feature,
            float[] value,
            boolean[] defaultLeft,
            int depth,
            int[] f,
            float[] t,
            boolean[] m,
            float[] l,
            int tree) {
        /** Places {@code node} at slot {@code slot} of level {@code level}, and what is below. */
        void fill(int node, int slot, int level) {
            int internal = (1 << depth) - 1;
            if (level == depth) {
                l[(tree << depth) + slot - internal] = value[node];
                return;
            }
            boolean isLeaf = left[node] < 0;
            // A padded split: feature 0 against +inf; both sides hold the same leaf.
            f[tree * internal + slot] = isLeaf ? 0 : feature[node];
            t[tree * internal + slot] = isLeaf ? Float.POSITIVE_INFINITY : value[node];
            m[tree * internal + slot] = !isLeaf && !defaultLeft[node];
            fill(isLeaf ? node : left[node], 2 * slot + 1, level + 1);
            fill(isLeaf ? node : right[node], 2 * slot + 2, level + 1);
        }
    }

    /**
     * Adds every tree's leaf value to the margins of {@code count} rows of the block starting at
     * row {@code first}: row {@code first + rows[k]} for each {@code k < count}, its margins at
     * {@code rows[k] * groups}. Tree by tree in model order as XGBoost does, so that the float sums
     * are the same. Only with {@code missing} does a NaN take its split's default way (without, it
     * would go left everywhere): the caller passes the rows with a missing value apart, so that the
     * others do not pay for the check. {@code at} is scratch space of at least {@code count} ints.
     */
    void addTo(
            float[] x,
            int features,
            int first,
            int[] rows,
            int count,
            boolean missing,
            float[] margins,
            int[] at) {
        if (count < LEVEL_BY_LEVEL_FROM) {
            for (int k = 0; k < count; k++) {
                addRow(x, (first + rows[k]) * features, missing, margins, rows[k] * groups);
            }
            return;
        }
        int[] base = new int[count];
        for (int k = 0; k < count; k++) {
            base[k] = (first + rows[k]) * features;
        }
        for (int tree = 0; tree < treeGroup.length; tree++) {
            int nodes = tree * internal;
            // Every row starts at the root: its split is read once.
            int rootFeature = feature[nodes];
            float rootThreshold = threshold[nodes];
            for (int r = 0; r < count; r++) {
                float value = x[base[r] + rootFeature];
                at[r] = (missing ? right(value, nodes) : value >= rootThreshold) ? 2 : 1;
            }
            for (int level = 1; level < depth; level++) {
                if (missing) {
                    for (int r = 0; r < count; r++) {
                        int i = at[r];
                        int n = nodes + i;
                        at[r] = 2 * i + (right(x[base[r] + feature[n]], n) ? 2 : 1);
                    }
                    continue;
                }
                for (int r = 0; r < count; r++) {
                    int i = at[r];
                    int n = nodes + i;
                    at[r] = 2 * i + (x[base[r] + feature[n]] >= threshold[n] ? 2 : 1);
                }
            }
            int leaves = (tree << depth) - internal;
            int g = treeGroup[tree];
            for (int r = 0; r < count; r++) {
                margins[rows[r] * groups + g] += leaf[leaves + at[r]];
            }
        }
    }

    /**
     * Whether {@code value} goes right at padded split {@code n}, a missing value its own way.
     * Without a branch: where a row's missing value is read cannot be predicted, and each
     * mispredicted branch would also stall the walks of the other rows that overlap it.
     */
    private boolean right(float value, int n) {
        return value >= threshold[n] | (value != value & missingRight[n]);
    }

    /** One row through every tree: the trees' walks do not wait for each other either. */
    void addRow(float[] x, int base, boolean missing, float[] margins, int at) {
        if (missing) {
            addRowWithMissing(x, base, margins, at);
            return;
        }
        for (int tree = 0; tree < treeGroup.length; tree++) {
            int nodes = tree * internal;
            int i = 0;
            for (int level = 0; level < depth; level++) {
                int n = nodes + i;
                i = 2 * i + (x[base + feature[n]] >= threshold[n] ? 2 : 1);
            }
            margins[at + treeGroup[tree]] += leaf[(tree << depth) - internal + i];
        }
    }

    /**
     * {@link #addRow} for a row with a missing value. A loop of its own: choosing between the two
     * comparisons inside the one loop made single-row requests 1.3x slower (TreeWalkBenchmark).
     */
    private void addRowWithMissing(float[] x, int base, float[] margins, int at) {
        for (int tree = 0; tree < treeGroup.length; tree++) {
            int nodes = tree * internal;
            int i = 0;
            for (int level = 0; level < depth; level++) {
                int n = nodes + i;
                i = 2 * i + (right(x[base + feature[n]], n) ? 2 : 1);
            }
            margins[at + treeGroup[tree]] += leaf[(tree << depth) - internal + i];
        }
    }
}
