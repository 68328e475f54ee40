package dev.byoe.model.anomaly.deeplog;

import dev.byoe.core.JdkModules;
import java.util.ArrayList;
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
     * The fastest implementation this JVM can run: SIMD through the Vector API when the {@code
     * jdk.incubator.vector} module is present or can be loaded ({@link JdkModules}), scalar
     * otherwise or with {@code -Dbyoe.deeplog.forward=scalar}. The image records its AOT cache with
     * that setting: an AOT cache cannot hold a class that uses a module the JVM did not start with,
     * and it is created from what the recorded run loaded (docker/Dockerfile). For the same reason
     * this method names the vector class only in static calls: returning {@code new
     * VectorLstmForward} here would make the verifier load that class with this one.
     */
    public static LstmForward of(LstmWeights weights) {
        if (JdkModules.ensure("jdk.incubator.vector")
                && !"scalar".equals(System.getProperty("byoe.deeplog.forward"))
                && VectorLstmForward.supports(weights)) {
            return VectorLstmForward.create(weights);
        }
        return new ScalarLstmForward(weights);
    }

    /** The scalar pass, whatever the JVM offers (for comparisons). */
    public static LstmForward scalar(LstmWeights weights) {
        return new ScalarLstmForward(weights);
    }

    /**
     * Every implementation this JVM can run, {@link #of}'s first and the scalar pass last (for
     * comparisons: tests hold them equal, benchmarks time each).
     */
    public static List<LstmForward> every(LstmWeights weights) {
        LstmForward best = of(weights);
        List<LstmForward> all = new ArrayList<>(List.of(best));
        // Checked on the scalar class: the vector one cannot be loaded without its module.
        if (!(best instanceof ScalarLstmForward)) {
            all.add(((VectorLstmForward) best).otherKernel());
            all.add(scalar(weights));
        }
        return all;
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

    /** Shared scalar pieces: the output layer and the gate update of one window's layer. */
    protected final void output(float[] hLast, int hOff, float[] out, int outOff) {
        int classes = w.classes();
        System.arraycopy(w.outputBias(), 0, out, outOff, classes);
        float[] o = w.output();
        for (int k = 0; k < h; k++) {
            float x = hLast[hOff + k];
            int row = k * classes;
            for (int c = 0; c < classes; c++) {
                out[outOff + c] += x * o[row + c];
            }
        }
    }

    /** Gate blocks of {@code z}: block input (tanh), forget, output, input gate (sigmoid). */
    protected final void cell(float[] z, int zOff, float[] c, float[] hs, int off) {
        for (int k = 0; k < h; k++) {
            float g = (float) Math.tanh(z[zOff + k]);
            float f = sigmoid(z[zOff + h + k]);
            float o = sigmoid(z[zOff + 2 * h + k]);
            float i = sigmoid(z[zOff + 3 * h + k]);
            float cell = f * c[off + k] + i * g;
            c[off + k] = cell;
            hs[off + k] = o * (float) Math.tanh(cell);
        }
    }

    static float sigmoid(float x) {
        return (float) (1 / (1 + Math.exp(-x)));
    }
}
