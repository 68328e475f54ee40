package dev.byoe.model.anomaly.deeplog;

import dev.byoe.core.JdkModules;
import java.time.Duration;
import java.util.List;

/**
 * The trained network's forward pass in plain Java: windows of input ids in, output logits out. It
 * computes what DL4J computes (tested against it), without DL4J's per-call overhead, so that one
 * window costs microseconds instead of milliseconds. Thread-safe: all state is per call.
 */
public abstract class LstmForward {
    protected final LstmWeights w;
    protected final int h;
    protected final int gates;

    protected LstmForward(LstmWeights weights) {
        this.w = weights;
        this.h = weights.hidden();
        this.gates = 4 * h;
    }

    /**
     * The pass to serve with: the scalar pass at once, the vector pass (the Vector API, SIMD) as
     * soon as it is compiled and faster ({@link WarmingLstmForward}); they give the same bits.
     * Scalar only with {@code -Dbyoe.deeplog.forward=scalar}, which the image's AOT cache is
     * recorded with: an AOT cache cannot hold a class that uses a module the JVM did not start
     * with, and it is created from what the recorded run loaded (docker/Dockerfile). The module is
     * still loaded then, so that the cache holds the module system's code for loading it.
     */
    public static LstmForward of(LstmWeights weights) {
        ScalarLstmForward scalar = new ScalarLstmForward(weights);
        if ("scalar".equals(System.getProperty("byoe.deeplog.forward"))) {
            JdkModules.ensure(VECTOR_MODULE);
            return scalar;
        }
        return new WarmingLstmForward(scalar, () -> vectorOrNull(weights));
    }

    static final String VECTOR_MODULE = "jdk.incubator.vector";

    /**
     * The vector pass with the kernel this CPU runs best, or null when the {@code
     * jdk.incubator.vector} module is absent and cannot be loaded ({@link JdkModules}) or the
     * hidden size is not a whole number of vectors. Names the vector class only in static calls:
     * {@code new VectorLstmForward} here would make the verifier load that class with this one, and
     * with it the module's classes.
     */
    static LstmForward vectorOrNull(LstmWeights weights) {
        return JdkModules.ensure(VECTOR_MODULE) && VectorLstmForward.supports(weights)
                ? VectorLstmForward.create(weights)
                : null;
    }

    /** The scalar pass, whatever the JVM offers (for comparisons). */
    public static LstmForward scalar(LstmWeights weights) {
        return new ScalarLstmForward(weights);
    }

    /**
     * Every pass this JVM can run, ready at once: the vector pass with the kernel this CPU runs
     * best, the other kernel, the scalar pass last; only the scalar one without the Vector API (for
     * comparisons: tests hold them equal, benchmarks time each).
     */
    public static List<LstmForward> every(LstmWeights weights) {
        LstmForward vector = vectorOrNull(weights);
        if (vector == null) {
            return List.of(scalar(weights));
        }
        // Named through the base class: the vector one cannot be loaded without its module.
        return List.of(vector, VectorLstmForward.otherKernelOf(vector), scalar(weights));
    }

    /**
     * The pass that answers once the vector pass's warm-up has ended ({@link #of}), waiting for it
     * at most {@code timeout}; this pass itself for any other.
     */
    public LstmForward settled(Duration timeout) throws InterruptedException {
        return this;
    }

    public LstmWeights weights() {
        return w;
    }

    /** Implementation name, for logs and benchmarks. */
    public abstract String kind();

    /**
     * Logits of {@code n} windows of {@code window} input ids each, read from {@code
     * inputs[offset..]}, written to {@code out[0 .. n*classes)}.
     */
    public abstract void logits(int[] inputs, int offset, int n, int window, float[] out);

    /**
     * The states after {@code p} padding ids, {@code p = 0..window}: the same for every window that
     * starts with that much padding (a session's first {@code window} events all do), so such a
     * window is computed from there. Built once per window length, by the pass's own steps.
     */
    protected record PaddedStarts(int window, float[][] hidden, float[][] cell) {}

    /** One time step of one window; at the first the state is zero (no recurrent products). */
    @FunctionalInterface
    protected interface Step {
        void step(int token, boolean first, float[] hs, float[] cs, float[] z);
    }

    private volatile PaddedStarts paddedStarts;

    /** The padded starts for {@code window}, from the last call's if it had the same length. */
    protected final PaddedStarts paddedStarts(int window, Step step) {
        PaddedStarts known = paddedStarts;
        if (known != null && known.window() == window) {
            return known;
        }
        int layers = w.layers();
        float[][] hidden = new float[window + 1][layers * h];
        float[][] cell = new float[window + 1][layers * h];
        float[] hs = new float[layers * h];
        float[] cs = new float[layers * h];
        float[] z = new float[gates];
        for (int t = 0; t < window; t++) {
            step.step(w.inputs() - 1, t == 0, hs, cs, z);
            hidden[t + 1] = hs.clone();
            cell[t + 1] = cs.clone();
        }
        PaddedStarts built = new PaddedStarts(window, hidden, cell);
        paddedStarts = built;
        return built;
    }

    /** How many padding ids window {@code inputs[from, from + window)} starts with. */
    protected final int leadingPadding(int[] inputs, int from, int window) {
        int pad = w.inputs() - 1;
        int p = 0;
        while (p < window && inputs[from + p] == pad) {
            p++;
        }
        return p;
    }
}
