package dev.byoe.model.xgboost;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.byoe.core.Json;
import dev.byoe.model.member.WalkFile;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.XGBoostError;

/**
 * XGBoost's trees evaluated in Java, for serving. A call into XGBoost4J costs about 100 us before
 * the first tree is walked (it builds JSON configuration and array descriptions per call), which
 * dominates small requests; walking 100 trees of depth 6 in Java takes about 1 us. Trees up to
 * depth 10 are walked padded to one depth ({@link CompleteTrees}), several rows at a time (rows
 * with a missing value apart from the others); deeper trees node by node.
 *
 * <p>The trees come from the booster's own JSON dump; leaf values are added in float, in tree
 * order, starting from the base margin, as XGBoost's CPU predictor does. Only what byoe trains is
 * supported (gbtree, numeric splits, squared error, logistic, softprob); {@link #of} returns {@code
 * null} for anything else, and the caller keeps using the native predictor. A loaded evaluator is
 * checked against the native predictor before it is used.
 */
public final class TreeEvaluator {
    private static final ObjectMapper JSON = Json.MAPPER;

    enum Transform {
        IDENTITY,
        SIGMOID,
        SOFTMAX
    }

    private final int features;
    private final int groups;
    private final Transform transform;
    private final float[] baseMargin;
    private final int[] roots;
    private final int[] treeGroup;
    private final int[] left;
    private final int[] right;
    private final int[] feature;
    private final float[] value;
    private final boolean[] defaultLeft;

    /**
     * The trees padded to one depth, or null when they are too deep (or the node walk is asked).
     */
    private final CompleteTrees complete;

    /** Rows walked together through one tree: enough to overlap their loads, few to stay in L1. */
    private static final int BLOCK = 64;

    private TreeEvaluator(
            int features,
            int groups,
            Transform transform,
            float[] baseMargin,
            int[] roots,
            int[] treeGroup,
            int[] left,
            int[] right,
            int[] feature,
            float[] value,
            boolean[] defaultLeft) {
        this.features = features;
        this.groups = groups;
        this.transform = transform;
        this.baseMargin = baseMargin;
        this.roots = roots;
        this.treeGroup = treeGroup;
        this.left = left;
        this.right = right;
        this.feature = feature;
        this.value = value;
        this.defaultLeft = defaultLeft;
        // -Dbyoe.xgboost.walk=nodes keeps the node-by-node walk (the benchmark's baseline).
        this.complete =
                "nodes".equals(System.getProperty("byoe.xgboost.walk"))
                        ? null
                        : CompleteTrees.of(
                                roots, treeGroup, left, right, feature, value, defaultLeft, groups);
    }

    /**
     * An evaluator for {@code booster} that agrees with it, or {@code null} when that cannot be
     * had.
     */
    public static TreeEvaluator of(Booster booster, int features) {
        TreeEvaluator evaluator;
        try {
            evaluator = parse(JSON.readTree(booster.toByteArray("json")), features);
        } catch (XGBoostError | IOException | RuntimeException e) {
            return null;
        }
        return evaluator != null && evaluator.agreesWith(booster) ? evaluator : null;
    }

    static TreeEvaluator parse(JsonNode root, int features) {
        JsonNode learner = root.get("learner");
        JsonNode booster = learner.get("gradient_booster");
        if (!"gbtree".equals(booster.path("name").asText())) {
            return null;
        }
        JsonNode model = booster.get("model");
        if (model.path("gbtree_model_param").path("num_parallel_tree").asInt(1) != 1) {
            return null;
        }
        JsonNode params = learner.get("learner_model_param");
        if (params.path("num_feature").asInt(features) != features) {
            return null;
        }
        String objective = learner.path("objective").path("name").asText();
        Transform transform;
        int groups;
        switch (objective) {
            case "reg:squarederror" -> {
                transform = Transform.IDENTITY;
                groups = 1;
            }
            case "binary:logistic" -> {
                transform = Transform.SIGMOID;
                groups = 1;
            }
            case "multi:softprob" -> {
                transform = Transform.SOFTMAX;
                groups = params.path("num_class").asInt();
            }
            default -> {
                return null;
            }
        }
        float[] base = new float[groups];
        String[] scores =
                params.get("base_score").asText().replace("[", "").replace("]", "").split(",");
        for (int g = 0; g < groups; g++) {
            float b = Float.parseFloat(scores[scores.length == groups ? g : 0].strip());
            // The logistic objective stores its base score as a probability.
            base[g] = transform == Transform.SIGMOID ? (float) -Math.log(1.0f / b - 1.0f) : b;
        }
        JsonNode trees = model.get("trees");
        JsonNode info = model.get("tree_info");
        int total = 0;
        for (JsonNode t : trees) {
            total += t.get("left_children").size();
        }
        int[] roots = new int[trees.size()];
        int[] treeGroup = new int[trees.size()];
        int[] l = new int[total];
        int[] r = new int[total];
        int[] f = new int[total];
        float[] v = new float[total];
        boolean[] d = new boolean[total];
        int offset = 0;
        for (int t = 0; t < trees.size(); t++) {
            JsonNode tree = trees.get(t);
            for (JsonNode type : tree.path("split_type")) {
                if (type.asInt() != 0) {
                    return null;
                }
            }
            roots[t] = offset;
            treeGroup[t] = info.get(t).asInt();
            JsonNode lc = tree.get("left_children");
            for (int n = 0; n < lc.size(); n++) {
                int li = lc.get(n).asInt();
                l[offset + n] = li < 0 ? -1 : offset + li;
                int ri = tree.get("right_children").get(n).asInt();
                r[offset + n] = ri < 0 ? -1 : offset + ri;
                f[offset + n] = tree.get("split_indices").get(n).asInt();
                v[offset + n] = (float) tree.get("split_conditions").get(n).asDouble();
                d[offset + n] = tree.get("default_left").get(n).asInt() != 0;
                if (li >= 0 && f[offset + n] >= features) {
                    return null;
                }
            }
            offset += lc.size();
        }
        return new TreeEvaluator(
                features, groups, transform, base, roots, treeGroup, l, r, f, v, d);
    }

    /** The depth every tree is padded to for the level-by-level walk; -1 if walked node by node. */
    public int paddedDepth() {
        return complete == null ? -1 : complete.depth();
    }

    /**
     * Predictions for {@code rows} rows of {@code features} values each (row-major, NaN = missing).
     */
    public double[] predict(float[] x, int rows) {
        if (complete != null && rows < CompleteTrees.LEVEL_BY_LEVEL_FROM) {
            return predictFew(x, rows);
        }
        double[] out = new double[rows * groups];
        float[] margins = new float[Math.min(rows, BLOCK) * groups];
        int[] scratch = new int[Math.min(rows, BLOCK)];
        // A block's rows without a missing value, and those with one (walked apart, see
        // CompleteTrees), each in order.
        int[] whole = new int[Math.min(rows, BLOCK)];
        int[] gaps = new int[Math.min(rows, BLOCK)];
        for (int first = 0; first < rows; first += BLOCK) {
            int n = Math.min(BLOCK, rows - first);
            int wholeCount = 0;
            int gapCount = 0;
            for (int r = 0; r < n; r++) {
                System.arraycopy(baseMargin, 0, margins, r * groups, groups);
                if (complete == null) {
                    walkNodes(x, (first + r) * features, margins, r * groups);
                } else if (hasMissing(x, (first + r) * features, (first + r + 1) * features)) {
                    gaps[gapCount++] = r;
                } else {
                    whole[wholeCount++] = r;
                }
            }
            if (wholeCount > 0) {
                complete.addTo(x, features, first, whole, wholeCount, false, margins, scratch);
            }
            if (gapCount > 0) {
                complete.addTo(x, features, first, gaps, gapCount, true, margins, scratch);
            }
            for (int r = 0; r < n; r++) {
                finish(margins, r * groups, out, (first + r) * groups);
            }
        }
        return out;
    }

    /**
     * {@link #predict} for requests too small to walk level by level (single rows, mostly): each
     * row walks the padded trees on its own, without the block's bookkeeping.
     */
    private double[] predictFew(float[] x, int rows) {
        double[] out = new double[rows * groups];
        float[] margins = new float[groups];
        for (int r = 0; r < rows; r++) {
            int base = r * features;
            System.arraycopy(baseMargin, 0, margins, 0, groups);
            complete.addRow(x, base, hasMissing(x, base, base + features), margins, 0);
            finish(margins, 0, out, r * groups);
        }
        return out;
    }

    private static boolean hasMissing(float[] x, int from, int to) {
        for (int i = from; i < to; i++) {
            if (x[i] != x[i]) {
                return true;
            }
        }
        return false;
    }

    /** One row through every tree, node by node, honouring each split's missing-value default. */
    private void walkNodes(float[] x, int base, float[] margins, int at) {
        for (int t = 0; t < roots.length; t++) {
            int node = roots[t];
            while (left[node] >= 0) {
                float fv = x[base + feature[node]];
                if (fv != fv) {
                    node = defaultLeft[node] ? left[node] : right[node];
                } else {
                    node = fv < value[node] ? left[node] : right[node];
                }
            }
            margins[at + treeGroup[t]] += value[node];
        }
    }

    private void finish(float[] margins, int from, double[] out, int at) {
        switch (transform) {
            case IDENTITY -> out[at] = margins[from];
            case SIGMOID -> out[at] = 1.0f / (1.0f + (float) Math.exp(-margins[from]));
            case SOFTMAX -> {
                float max = Float.NEGATIVE_INFINITY;
                for (int g = 0; g < groups; g++) {
                    max = Math.max(max, margins[from + g]);
                }
                float sum = 0;
                float[] e = new float[groups];
                for (int g = 0; g < groups; g++) {
                    e[g] = (float) Math.exp(margins[from + g] - max);
                    sum += e[g];
                }
                for (int g = 0; g < groups; g++) {
                    out[at + g] = e[g] / sum;
                }
            }
        }
    }

    /**
     * Compares with the native predictor on probe rows built from the trees' own thresholds (each
     * just below, at, and above a split, and missing), so that every branch is taken.
     */
    boolean agreesWith(Booster booster) {
        List<float[]> probes = new ArrayList<>();
        Random random = new Random(17);
        List<Float>[] thresholds = thresholdsByFeature();
        for (int i = 0; i < 256; i++) {
            float[] row = new float[features];
            for (int c = 0; c < features; c++) {
                List<Float> ts = thresholds[c];
                if (ts.isEmpty() || random.nextInt(10) == 0) {
                    // Odd rows have no missing value, so both loops of the padded walk are
                    // compared.
                    row[c] =
                            i % 2 == 0 && random.nextInt(10) == 0
                                    ? Float.NaN
                                    : (float) random.nextGaussian();
                } else {
                    float t = ts.get(random.nextInt(ts.size()));
                    row[c] =
                            switch (random.nextInt(3)) {
                                case 0 -> Math.nextDown(t);
                                case 1 -> t;
                                default -> Math.nextUp(t);
                            };
                }
            }
            probes.add(row);
        }
        float[] x = new float[probes.size() * features];
        for (int i = 0; i < probes.size(); i++) {
            System.arraycopy(probes.get(i), 0, x, i * features, features);
        }
        float[][] expected;
        try {
            expected = booster.inplace_predict(x, probes.size(), features, Float.NaN);
        } catch (XGBoostError e) {
            return false;
        }
        double[] actual = predict(x, probes.size());
        for (int i = 0; i < probes.size(); i++) {
            for (int g = 0; g < groups; g++) {
                float e = expected[i][g];
                double a = actual[i * groups + g];
                // Transforms use double exp here and float exp in XGBoost: allow a few float ulps
                // there.
                double tolerance =
                        transform == Transform.IDENTITY
                                ? 0
                                : 4 * Math.ulp(Math.max(Math.abs(e), 1e-3f));
                if (Math.abs(a - e) > tolerance) {
                    return false;
                }
            }
        }
        return true;
    }

    @SuppressWarnings("unchecked")
    private List<Float>[] thresholdsByFeature() {
        List<Float>[] out = new List[features];
        for (int c = 0; c < features; c++) {
            out[c] = new ArrayList<>();
        }
        for (int n = 0; n < left.length; n++) {
            if (left[n] >= 0) {
                out[feature[n]].add(value[n]);
            }
        }
        return out;
    }

    private static final WalkFile.Header HEADER =
            new WalkFile.Header(0x42595854, 1, "byoe tree file"); // "BYXT"

    /**
     * Writes the trees as plain arrays, so that a server loads them without asking the booster for
     * its JSON dump and checking the walk again (both done once, when the model was saved).
     */
    public void write(OutputStream out) throws IOException {
        DataOutputStream d = HEADER.writeTo(out);
        d.writeInt(features);
        d.writeInt(groups);
        d.writeInt(transform.ordinal());
        floats(d, baseMargin);
        ints(d, roots);
        ints(d, treeGroup);
        ints(d, left);
        ints(d, right);
        ints(d, feature);
        floats(d, value);
        d.writeInt(defaultLeft.length);
        for (boolean b : defaultLeft) {
            d.writeBoolean(b);
        }
        d.flush();
    }

    /**
     * Reads what {@link #write} wrote, for a model of {@code features} features; every index is
     * checked, so a damaged file is an {@link IOException}, never a wrong walk.
     */
    public static TreeEvaluator read(InputStream in, int features) throws IOException {
        DataInputStream d = HEADER.readFrom(in);
        int width = d.readInt();
        int groups = d.readInt();
        int kind = d.readInt();
        if (width != features || groups < 1 || kind < 0 || kind >= Transform.values().length) {
            throw new IOException(
                    "tree file for "
                            + width
                            + " features and "
                            + groups
                            + " groups; the model has "
                            + features
                            + " features");
        }
        float[] base = floats(d);
        int[] roots = ints(d);
        int[] treeGroup = ints(d);
        int[] left = ints(d);
        int[] right = ints(d);
        int[] feature = ints(d);
        float[] value = floats(d);
        int n = left.length;
        if (d.readInt() != n
                || base.length != groups
                || treeGroup.length != roots.length
                || right.length != n
                || feature.length != n
                || value.length != n) {
            throw new IOException("tree file: array lengths disagree");
        }
        boolean[] defaultLeft = new boolean[n];
        for (int i = 0; i < n; i++) {
            defaultLeft[i] = d.readBoolean();
        }
        for (int t = 0; t < roots.length; t++) {
            if (roots[t] < 0 || roots[t] >= n || treeGroup[t] < 0 || treeGroup[t] >= groups) {
                throw new IOException("tree file: tree " + t + " out of range");
            }
        }
        checkTrees(roots, left, right, feature, features);
        return new TreeEvaluator(
                features,
                groups,
                Transform.values()[kind],
                base,
                roots,
                treeGroup,
                left,
                right,
                feature,
                value,
                defaultLeft);
    }

    /**
     * Every node reachable from a root once at most, children and split features in range: a
     * damaged file cannot make a walk loop or read outside the row.
     */
    private static void checkTrees(
            int[] roots, int[] left, int[] right, int[] feature, int features) throws IOException {
        int n = left.length;
        boolean[] seen = new boolean[n];
        int[] stack = new int[n + 1];
        for (int root : roots) {
            int top = 0;
            stack[top++] = root;
            while (top > 0) {
                int node = stack[--top];
                if (node < 0 || node >= n || seen[node]) {
                    throw new IOException("tree file: node " + node + " out of place");
                }
                seen[node] = true;
                if (left[node] >= 0) {
                    if (feature[node] < 0 || feature[node] >= features || top + 2 > n) {
                        throw new IOException("tree file: split " + node + " out of range");
                    }
                    stack[top++] = left[node];
                    stack[top++] = right[node];
                }
            }
        }
    }

    private static void ints(DataOutputStream d, int[] a) throws IOException {
        d.writeInt(a.length);
        for (int v : a) {
            d.writeInt(v);
        }
    }

    private static void floats(DataOutputStream d, float[] a) throws IOException {
        d.writeInt(a.length);
        for (float v : a) {
            d.writeFloat(v);
        }
    }

    private static int[] ints(DataInputStream d) throws IOException {
        int[] a = new int[length(d)];
        for (int i = 0; i < a.length; i++) {
            a[i] = d.readInt();
        }
        return a;
    }

    private static float[] floats(DataInputStream d) throws IOException {
        float[] a = new float[length(d)];
        for (int i = 0; i < a.length; i++) {
            a[i] = d.readFloat();
        }
        return a;
    }

    private static int length(DataInputStream d) throws IOException {
        int n = d.readInt();
        if (n < 0 || n > 1 << 28) {
            throw new IOException("tree file: array of " + n + " entries");
        }
        return n;
    }
}
