package dev.byoe.model.catboost;

import com.fasterxml.jackson.databind.JsonNode;
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
 * Serving these needs neither catboost-prediction's native library (loading it is the largest
 * single item of a tabular cold start) nor a JNI call per request.
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

    private final boolean anyMissingAbove;

    /** Rows scored together through one tree: the tree's leaves stay in cache across them. */
    private static final int BLOCK = 64;

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
        this.splitBorder = splitBorder;
        this.leafValues = leafValues;
        this.missingAbove = missingAbove;
        this.splitStart = new int[depth.length + 1];
        this.leafStart = new int[depth.length + 1];
        boolean above = false;
        for (boolean b : missingAbove) {
            above |= b;
        }
        this.anyMissingAbove = above;
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
        int[] features_ = splitFeature.stream().mapToInt(Integer::intValue).toArray();
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
                features_,
                borders,
                leaves.stream().mapToDouble(Double::doubleValue).toArray(),
                missingAbove);
    }

    /**
     * Raw values for {@code rows} rows of {@code features} numeric values each (row-major, NaN =
     * missing): {@code width} per row, as catboost-prediction's {@code predict} returns them.
     */
    public double[] predict(float[] x, int rows) {
        float[] input = anyMissingAbove ? missingRaised(x, rows) : x;
        double[] out = new double[rows * width];
        for (int start = 0; start < rows; start += BLOCK) {
            int end = Math.min(rows, start + BLOCK);
            for (int t = 0; t < depth.length; t++) {
                int s0 = splitStart[t];
                int levels = depth[t];
                int leaves = leafStart[t];
                for (int r = start; r < end; r++) {
                    int row = r * features;
                    int leaf = 0;
                    for (int level = 0; level < levels; level++) {
                        // NaN > border is false: a missing value goes below every border (nan_mode
                        // Min, and features that had none in training), unless raised above.
                        if (input[row + splitFeature[s0 + level]] > splitBorder[s0 + level]) {
                            leaf |= 1 << level;
                        }
                    }
                    int at = leaves + leaf * width;
                    for (int k = 0; k < width; k++) {
                        out[r * width + k] += leafValues[at + k];
                    }
                }
            }
        }
        for (int r = 0; r < rows; r++) {
            for (int k = 0; k < width; k++) {
                out[r * width + k] = scale * out[r * width + k] + bias[k];
            }
        }
        return out;
    }

    /** A copy of {@code x} in which missing values of nan_mode Max features are +infinity. */
    private float[] missingRaised(float[] x, int rows) {
        float[] copy = x.clone();
        for (int r = 0; r < rows; r++) {
            for (int f = 0; f < features; f++) {
                int i = r * features + f;
                if (missingAbove[f] && Float.isNaN(copy[i])) {
                    copy[i] = Float.POSITIVE_INFINITY;
                }
            }
        }
        return copy;
    }

    /**
     * Rows that take every branch: each feature just below, at and just above one of its borders,
     * or missing; compared with the native model before these trees are used.
     */
    float[] probes(int rows, long seed) {
        List<List<Float>> borders = new ArrayList<>();
        for (int f = 0; f < features; f++) {
            borders.add(new ArrayList<>());
        }
        for (int s = 0; s < splitFeature.length; s++) {
            borders.get(splitFeature[s]).add(splitBorder[s]);
        }
        Random random = new Random(seed);
        float[] x = new float[rows * features];
        for (int r = 0; r < rows; r++) {
            for (int f = 0; f < features; f++) {
                List<Float> bs = borders.get(f);
                float v;
                if (random.nextInt(12) == 0) {
                    v = Float.NaN;
                } else if (bs.isEmpty() || random.nextInt(10) == 0) {
                    v = (float) random.nextGaussian();
                } else {
                    float b = bs.get(random.nextInt(bs.size()));
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

    private static final int MAGIC = 0x42594354; // "BYCT"
    private static final int VERSION = 1;

    /** Writes the trees as plain arrays, read back by {@link #read} without JSON or checks. */
    public void write(OutputStream out) throws IOException {
        DataOutputStream d = new DataOutputStream(out);
        d.writeInt(MAGIC);
        d.writeInt(VERSION);
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
        DataInputStream d = new DataInputStream(in);
        if (d.readInt() != MAGIC || d.readInt() != VERSION) {
            throw new IOException("not a byoe oblivious-tree file (version " + VERSION + ")");
        }
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
