package dev.byoe.model.catboost;

import com.fasterxml.jackson.databind.JsonNode;
import dev.byoe.model.member.WalkFile;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * CatBoost's symmetric (oblivious) trees over numeric features, evaluated in Java for serving. In
 * an oblivious tree every level asks one question of every row ({@code feature > border}), so a
 * row's leaf is the bit pattern of its answers: no pointers to chase, one comparison per level.
 * Serving these needs neither catboost-prediction's native library and its copy of the model nor a
 * JNI call per request; {@link #predict} keeps pace with that call on large requests by turning
 * every split into integer work over many rows at once.
 *
 * <p>Built from the JSON CatBoost writes beside its {@code .cbm} at training time, and only for
 * what that JSON describes completely: symmetric trees whose splits are all on numeric features.
 * Models with categorical features (their counters live in the native model), or grown {@code
 * Depthwise}/{@code Lossguide}, are left to the native library ({@link #parse} returns null). Raw
 * values, as catboost-prediction returns them: the caller applies sigmoid or softmax.
 */
public final class ObliviousTrees {
    private final int features;
    private final int width;
    private final double scale;
    private final double[] bias;

    /** Per tree: its depth, and where its splits and its leaves start. */
    private final int[] depth;

    private final int[] splitStart;
    private final int[] leafStart;

    /** Per split, in tree order and level order within a tree: level i sets bit i of the leaf. */
    private final int[] splitFeature;

    private final float[] splitBorder;

    /** Per leaf, {@code width} values. */
    private final double[] leafValues;

    /** Per feature: whether a missing value counts as above every border (nan_mode Max). */
    private final boolean[] missingAbove;

    /**
     * Per feature, its distinct borders in ascending order ({@code borders[borderStart[f] ..
     * borderStart[f + 1]]}); per split, the position of its border there. A value becomes its bin
     * (how many of its feature's borders it is above) once per row, and every split on it is then
     * an integer comparison: {@code value > border j} exactly when {@code bin > j}.
     */
    private final float[] borders;

    private final int[] borderStart;
    private final int[] splitBin;

    /** Rows walked together: each split is tested on all of them in one tight loop. */
    private static final int BLOCK = 256;

    private ObliviousTrees(
            int features,
            int width,
            double scale,
            double[] bias,
            int[] depth,
            int[] splitFeature,
            float[] splitBorder,
            double[] leafValues,
            boolean[] missingAbove) {
        this.features = features;
        this.width = width;
        this.scale = scale;
        this.bias = bias;
        this.depth = depth;
        this.splitFeature = splitFeature;
        this.splitBorder = splitBorder.clone();
        for (int i = 0; i < splitBorder.length; i++) {
            // -0.0 and 0.0 split alike; the walk's sign test needs the positive one.
            this.splitBorder[i] = splitBorder[i] + 0.0f;
        }
        this.leafValues = leafValues;
        this.missingAbove = missingAbove;
        // Each feature's borders gathered in one pass (splits grouped by feature), then made
        // distinct and sorted.
        int[] groupStart = new int[features + 1];
        for (int f : splitFeature) {
            groupStart[f + 1]++;
        }
        for (int f = 0; f < features; f++) {
            groupStart[f + 1] += groupStart[f];
        }
        float[] grouped = new float[splitBorder.length];
        int[] next = groupStart.clone();
        for (int i = 0; i < splitBorder.length; i++) {
            grouped[next[splitFeature[i]]++] = this.splitBorder[i];
        }
        this.borderStart = new int[features + 1];
        float[][] perFeature = new float[features][];
        for (int f = 0; f < features; f++) {
            perFeature[f] =
                    distinctSorted(
                            java.util.Arrays.copyOfRange(
                                    grouped, groupStart[f], groupStart[f + 1]));
            borderStart[f + 1] = borderStart[f] + perFeature[f].length;
        }
        this.borders = new float[borderStart[features]];
        for (int f = 0; f < features; f++) {
            System.arraycopy(perFeature[f], 0, borders, borderStart[f], perFeature[f].length);
        }
        this.splitBin = new int[splitBorder.length];
        for (int i = 0; i < splitBorder.length; i++) {
            int f = splitFeature[i];
            splitBin[i] =
                    java.util.Arrays.binarySearch(
                                    borders,
                                    borderStart[f],
                                    borderStart[f + 1],
                                    this.splitBorder[i])
                            - borderStart[f];
        }
        this.splitStart = new int[depth.length + 1];
        this.leafStart = new int[depth.length + 1];
        for (int t = 0; t < depth.length; t++) {
            splitStart[t + 1] = splitStart[t] + depth[t];
            leafStart[t + 1] = leafStart[t] + (width << depth[t]);
        }
    }

    /** Number of trees. */
    public int trees() {
        return depth.length;
    }

    /**
     * The trees of CatBoost's JSON model export for a model of {@code features} numeric features
     * (and nothing else) and {@code width} outputs, or null when the model holds anything this
     * class does not evaluate.
     */
    public static ObliviousTrees parse(JsonNode model, int features, int width) {
        JsonNode info = model.path("features_info");
        for (String other :
                List.of("categorical_features", "text_features", "embedding_features", "ctrs")) {
            if (info.path(other).size() > 0) {
                return null;
            }
        }
        if (model.path("ctr_data").size() > 0 || !model.path("oblivious_trees").isArray()) {
            return null;
        }
        boolean[] missingAbove = new boolean[features];
        for (JsonNode f : info.path("float_features")) {
            int index = f.path("feature_index").asInt(-1);
            if (index < 0 || index >= features) {
                return null;
            }
            missingAbove[index] = "AsTrue".equals(f.path("nan_value_treatment").asText());
        }
        JsonNode trees = model.get("oblivious_trees");
        int count = trees.size();
        int[] depth = new int[count];
        List<Integer> splitFeature = new ArrayList<>();
        List<Float> splitBorder = new ArrayList<>();
        List<Double> leaves = new ArrayList<>();
        for (int t = 0; t < count; t++) {
            JsonNode tree = trees.get(t);
            JsonNode splits = tree.path("splits");
            depth[t] = splits.size();
            if (depth[t] > 16) {
                return null;
            }
            for (JsonNode split : splits) {
                int f = split.path("float_feature_index").asInt(-1);
                if (!"FloatFeature".equals(split.path("split_type").asText())
                        || f < 0
                        || f >= features) {
                    return null;
                }
                splitFeature.add(f);
                splitBorder.add((float) split.path("border").asDouble());
            }
            JsonNode values = tree.path("leaf_values");
            if (values.size() != width << depth[t]) {
                return null;
            }
            values.forEach(v -> leaves.add(v.asDouble()));
        }
        // [scale, [bias per output]]; models from before scaling existed carry no such field.
        JsonNode scaleAndBias = model.path("scale_and_bias");
        double scale = scaleAndBias.path(0).asDouble(1.0);
        double[] bias = new double[width];
        JsonNode biases = scaleAndBias.path(1);
        if (biases.isArray() && biases.size() > 0) {
            if (biases.size() != width) {
                return null;
            }
            for (int k = 0; k < width; k++) {
                bias[k] = biases.get(k).asDouble();
            }
        }
        int[] splitFeatures = splitFeature.stream().mapToInt(Integer::intValue).toArray();
        float[] borders = new float[splitBorder.size()];
        for (int i = 0; i < borders.length; i++) {
            borders[i] = splitBorder.get(i);
        }
        return new ObliviousTrees(
                features,
                width,
                scale,
                bias,
                depth,
                splitFeatures,
                borders,
                leaves.stream().mapToDouble(Double::doubleValue).toArray(),
                missingAbove);
    }

    /**
     * Raw values for {@code rows} rows of {@code features} numeric values each (row-major, NaN =
     * missing): {@code width} per row, as catboost-prediction's {@code predict} returns them.
     */
    public double[] predict(float[] x, int rows) {
        double[] out = new double[rows * width];
        // One array per feature and one for the leaves, all indexed by row alone: the JIT turns
        // loops over such arrays into vector instructions (with offsets into one shared array it
        // cannot rule out overlap, and does not).
        int block = Math.min(rows, BLOCK);
        int[][] bins = new int[features][block];
        int[] leaf = new int[block];
        double[][] sum = new double[width][block];
        for (int start = 0; start < rows; start += BLOCK) {
            int n = Math.min(BLOCK, rows - start);
            binarize(x, start, n, bins);
            for (double[] outputSum : sum) {
                java.util.Arrays.fill(outputSum, 0, n, 0);
            }
            for (int t = 0; t < depth.length; t++) {
                leaves(t, n, bins, leaf);
                for (int k = 0; k < width; k++) {
                    double[] outputSum = sum[k];
                    int at = leafStart[t] + k;
                    for (int r = 0; r < n; r++) {
                        outputSum[r] += leafValues[at + leaf[r] * width];
                    }
                }
            }
            for (int k = 0; k < width; k++) {
                for (int r = 0; r < n; r++) {
                    out[(start + r) * width + k] = scale * sum[k][r] + bias[k];
                }
            }
        }
        return out;
    }

    /** Each row's leaf in tree {@code t}: bit i set when the row is above level i's border. */
    private void leaves(int t, int n, int[][] bins, int[] leaf) {
        java.util.Arrays.fill(leaf, 0, n, 0);
        for (int level = 0, s = splitStart[t]; level < depth[t]; level++, s++) {
            int[] column = bins[splitFeature[s]];
            int bin = splitBin[s];
            for (int r = 0; r < n; r++) {
                // bin - column[r] < 0 exactly when the value is above the border: its sign bit
                // is the level's bit. No branch, which would mispredict half the time.
                leaf[r] |= ((bin - column[r]) >>> 31) << level;
            }
        }
    }

    /**
     * The bins of rows {@code start..start+n} of {@code x}, per feature: how many of the feature's
     * borders each value is above. A missing value is above none (nan_mode Min, and features that
     * had none in training) or all (nan_mode Max).
     */
    private void binarize(float[] x, int start, int n, int[][] bins) {
        for (int f = 0; f < features; f++) {
            int from = borderStart[f];
            int count = borderStart[f + 1] - from;
            int[] column = bins[f];
            if (count == 0) {
                java.util.Arrays.fill(column, 0, n, 0);
                continue;
            }
            boolean above = missingAbove[f];
            int r = 0;
            // Four rows at a time: their searches are independent, so their loads overlap.
            for (; r + 4 <= n; r += 4) {
                int row = (start + r) * features + f;
                float v0 = x[row];
                float v1 = x[row + features];
                float v2 = x[row + 2 * features];
                float v3 = x[row + 3 * features];
                int b0 = from;
                int b1 = from;
                int b2 = from;
                int b3 = from;
                for (int len = count; len > 1; ) {
                    int half = len >>> 1;
                    b0 = borders[b0 + half] < v0 ? b0 + half : b0;
                    b1 = borders[b1 + half] < v1 ? b1 + half : b1;
                    b2 = borders[b2 + half] < v2 ? b2 + half : b2;
                    b3 = borders[b3 + half] < v3 ? b3 + half : b3;
                    len -= half;
                }
                column[r] = bin(v0, b0, from, count, above);
                column[r + 1] = bin(v1, b1, from, count, above);
                column[r + 2] = bin(v2, b2, from, count, above);
                column[r + 3] = bin(v3, b3, from, count, above);
            }
            for (; r < n; r++) {
                float v = x[(start + r) * features + f];
                int base = from;
                for (int len = count; len > 1; ) {
                    int half = len >>> 1;
                    base = borders[base + half] < v ? base + half : base;
                    len -= half;
                }
                column[r] = bin(v, base, from, count, above);
            }
        }
    }

    /**
     * The bin of {@code v} once the search has narrowed its feature's borders to the one at {@code
     * base}: the borders before it are below v; the one there may be.
     */
    private int bin(float v, int base, int from, int count, boolean missingAbove) {
        if (v != v) {
            return missingAbove ? count : 0;
        }
        return base - from + (borders[base] < v ? 1 : 0);
    }

    private static float[] distinctSorted(float[] values) {
        float[] sorted = values.clone();
        java.util.Arrays.sort(sorted);
        int n = 0;
        for (int i = 0; i < sorted.length; i++) {
            if (n == 0 || sorted[i] != sorted[n - 1]) {
                sorted[n++] = sorted[i];
            }
        }
        return java.util.Arrays.copyOf(sorted, n);
    }

    /**
     * Rows that take every branch: each feature just below, at and just above one of its distinct
     * borders, or missing; compared with the native model before these trees are used.
     */
    float[] probes(int rows, long seed) {
        Random random = new Random(seed);
        float[] x = new float[rows * features];
        for (int r = 0; r < rows; r++) {
            for (int f = 0; f < features; f++) {
                int from = borderStart[f];
                int count = borderStart[f + 1] - from;
                float v;
                if (random.nextInt(12) == 0) {
                    v = Float.NaN;
                } else if (count == 0 || random.nextInt(10) == 0) {
                    v = (float) random.nextGaussian();
                } else {
                    float b = borders[from + random.nextInt(count)];
                    v =
                            switch (random.nextInt(3)) {
                                case 0 -> Math.nextDown(b);
                                case 1 -> b;
                                default -> Math.nextUp(b);
                            };
                }
                x[r * features + f] = v;
            }
        }
        return x;
    }

    private static final WalkFile.Header HEADER =
            new WalkFile.Header(0x42594354, 1, "byoe oblivious-tree file"); // "BYCT"

    /** Writes the trees as plain arrays, read back by {@link #read} without JSON or checks. */
    public void write(OutputStream out) throws IOException {
        DataOutputStream d = HEADER.writeTo(out);
        d.writeInt(features);
        d.writeInt(width);
        d.writeDouble(scale);
        for (double b : bias) {
            d.writeDouble(b);
        }
        for (boolean b : missingAbove) {
            d.writeBoolean(b);
        }
        d.writeInt(depth.length);
        for (int t : depth) {
            d.writeByte(t);
        }
        for (int i = 0; i < splitFeature.length; i++) {
            d.writeInt(splitFeature[i]);
            d.writeFloat(splitBorder[i]);
        }
        for (double v : leafValues) {
            d.writeDouble(v);
        }
        d.flush();
    }

    /**
     * Reads what {@link #write} wrote, for a model of {@code features} numeric features and {@code
     * width} outputs; a file for another shape, cut short or with an index out of range is an
     * {@link IOException}, never a wrong answer.
     */
    public static ObliviousTrees read(InputStream in, int features, int width) throws IOException {
        DataInputStream d = HEADER.readFrom(in);
        int fileFeatures = d.readInt();
        int fileWidth = d.readInt();
        if (fileFeatures != features || fileWidth != width) {
            throw new IOException(
                    "oblivious-tree file for "
                            + fileFeatures
                            + " features and "
                            + fileWidth
                            + " outputs; the model has "
                            + features
                            + " and "
                            + width);
        }
        double scale = d.readDouble();
        double[] bias = new double[width];
        for (int k = 0; k < width; k++) {
            bias[k] = d.readDouble();
        }
        boolean[] missingAbove = new boolean[features];
        for (int f = 0; f < features; f++) {
            missingAbove[f] = d.readBoolean();
        }
        int count = d.readInt();
        if (count < 0 || count > 1 << 20) {
            throw new IOException("oblivious-tree file: " + count + " trees");
        }
        int[] depth = new int[count];
        int splits = 0;
        long leaves = 0;
        for (int t = 0; t < count; t++) {
            depth[t] = d.readUnsignedByte();
            if (depth[t] > 16) {
                throw new IOException("oblivious-tree file: tree " + t + " of depth " + depth[t]);
            }
            splits += depth[t];
            leaves += (long) width << depth[t];
        }
        if (leaves > Integer.MAX_VALUE - 8) {
            throw new IOException("oblivious-tree file: " + leaves + " leaf values");
        }
        int[] splitFeature = new int[splits];
        float[] splitBorder = new float[splits];
        for (int s = 0; s < splits; s++) {
            splitFeature[s] = d.readInt();
            splitBorder[s] = d.readFloat();
            if (splitFeature[s] < 0 || splitFeature[s] >= features) {
                throw new IOException(
                        "oblivious-tree file: split " + s + " on feature " + splitFeature[s]);
            }
        }
        double[] leafValues = new double[(int) leaves];
        for (int i = 0; i < leafValues.length; i++) {
            leafValues[i] = d.readDouble();
        }
        if (d.read() != -1) {
            throw new IOException("oblivious-tree file: bytes after the last leaf");
        }
        return new ObliviousTrees(
                features,
                width,
                scale,
                bias,
                depth,
                splitFeature,
                splitBorder,
                leafValues,
                missingAbove);
    }
}
