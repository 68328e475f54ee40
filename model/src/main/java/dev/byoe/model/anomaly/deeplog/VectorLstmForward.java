package dev.byoe.model.anomaly.deeplog;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The forward pass four windows at a time with the Vector API: each weight vector loaded is used by
 * four independent fused multiply-add chains, and the gate non-linearities run on whole vectors.
 * Loaded only when {@code jdk.incubator.vector} is in the boot layer.
 */
final class VectorLstmForward extends LstmForward {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int B = 4;

    /** Whether one window alone can take the four-chunk path (else it rides in a padded block). */
    private final boolean single;

    VectorLstmForward(LstmWeights weights) {
        super(weights);
        this.single = gates % (4 * S.length()) == 0;
    }

    static boolean supports(LstmWeights w) {
        return (4 * w.hidden()) % S.length() == 0 && w.hidden() % S.length() == 0;
    }

    @Override
    public String kind() {
        return "vector-" + S.vectorBitSize();
    }

    @Override
    public void logits(int[] inputs, int offset, int n, int window, float[] out) {
        int layers = w.layers();
        float[] hs = new float[layers * B * h];
        float[] cs = new float[layers * B * h];
        float[] z = new float[B * gates];
        int[] tokens = new int[B];
        float[] logits = new float[B * w.classes()];
        for (int s0 = 0; s0 < n; s0 += B) {
            int m = Math.min(B, n - s0);
            if (m == 1 && single) {
                one(inputs, offset + s0 * window, window, out, s0 * w.classes());
                continue;
            }
            java.util.Arrays.fill(hs, 0);
            java.util.Arrays.fill(cs, 0);
            for (int t = 0; t < window; t++) {
                for (int b = 0; b < B; b++) {
                    // A short last block repeats its final window; the extra results are dropped.
                    tokens[b] = inputs[offset + (s0 + Math.min(b, m - 1)) * window + t];
                }
                for (int l = 0; l < layers; l++) {
                    float[] bias = w.bias()[l];
                    float[] in = w.input()[l];
                    for (int b = 0; b < B; b++) {
                        if (l == 0) {
                            int row = tokens[b] * gates;
                            for (int j = 0; j < gates; j += S.length()) {
                                FloatVector.fromArray(S, bias, j)
                                        .add(FloatVector.fromArray(S, in, row + j))
                                        .intoArray(z, b * gates + j);
                            }
                        } else {
                            System.arraycopy(bias, 0, z, b * gates, gates);
                        }
                    }
                    if (l > 0) {
                        accumulate(in, hs, (l - 1) * B * h, z);
                    }
                    accumulate(w.recurrent()[l], hs, l * B * h, z);
                    cells(z, cs, hs, l * B * h);
                }
            }
            int last = (layers - 1) * B * h;
            for (int b = 0; b < m; b++) {
                output(hs, last + b * h, logits, b * w.classes());
            }
            System.arraycopy(logits, 0, out, s0 * w.classes(), m * w.classes());
        }
    }

    /**
     * One window on its own (a single-event request): four independent accumulators over
     * neighbouring output chunks instead of four windows, so nothing is computed for nothing.
     */
    private void one(int[] inputs, int offset, int window, float[] out, int outOff) {
        int layers = w.layers();
        float[] hs = new float[layers * h];
        float[] cs = new float[layers * h];
        float[] z = new float[gates];
        for (int t = 0; t < window; t++) {
            for (int l = 0; l < layers; l++) {
                float[] bias = w.bias()[l];
                if (l == 0) {
                    int row = inputs[offset + t] * gates;
                    for (int j = 0; j < gates; j += S.length()) {
                        FloatVector.fromArray(S, bias, j)
                                .add(FloatVector.fromArray(S, w.input()[0], row + j))
                                .intoArray(z, j);
                    }
                } else {
                    System.arraycopy(bias, 0, z, 0, gates);
                    accumulateOne(w.input()[l], hs, (l - 1) * h, z);
                }
                accumulateOne(w.recurrent()[l], hs, l * h, z);
                cellSimd(z, 0, cs, hs, l * h);
            }
        }
        output(hs, (layers - 1) * h, out, outOff);
    }

    private void accumulateOne(float[] m, float[] x, int xOff, float[] z) {
        int l = S.length();
        for (int j = 0; j < gates; j += 4 * l) {
            FloatVector a0 = FloatVector.fromArray(S, z, j);
            FloatVector a1 = FloatVector.fromArray(S, z, j + l);
            FloatVector a2 = FloatVector.fromArray(S, z, j + 2 * l);
            FloatVector a3 = FloatVector.fromArray(S, z, j + 3 * l);
            for (int k = 0, row = j; k < h; k++, row += gates) {
                FloatVector v = FloatVector.broadcast(S, x[xOff + k]);
                a0 = FloatVector.fromArray(S, m, row).fma(v, a0);
                a1 = FloatVector.fromArray(S, m, row + l).fma(v, a1);
                a2 = FloatVector.fromArray(S, m, row + 2 * l).fma(v, a2);
                a3 = FloatVector.fromArray(S, m, row + 3 * l).fma(v, a3);
            }
            a0.intoArray(z, j);
            a1.intoArray(z, j + l);
            a2.intoArray(z, j + 2 * l);
            a3.intoArray(z, j + 3 * l);
        }
    }

    /** {@code z[b] += x[b] . m} for the four windows {@code b}; {@code x[b]} is {@code h} long. */
    private void accumulate(float[] m, float[] x, int xOff, float[] z) {
        int x0 = xOff, x1 = xOff + h, x2 = xOff + 2 * h, x3 = xOff + 3 * h;
        for (int j = 0; j < gates; j += S.length()) {
            FloatVector a0 = FloatVector.fromArray(S, z, j);
            FloatVector a1 = FloatVector.fromArray(S, z, gates + j);
            FloatVector a2 = FloatVector.fromArray(S, z, 2 * gates + j);
            FloatVector a3 = FloatVector.fromArray(S, z, 3 * gates + j);
            for (int k = 0, row = j; k < h; k++, row += gates) {
                FloatVector v = FloatVector.fromArray(S, m, row);
                a0 = v.fma(FloatVector.broadcast(S, x[x0 + k]), a0);
                a1 = v.fma(FloatVector.broadcast(S, x[x1 + k]), a1);
                a2 = v.fma(FloatVector.broadcast(S, x[x2 + k]), a2);
                a3 = v.fma(FloatVector.broadcast(S, x[x3 + k]), a3);
            }
            a0.intoArray(z, j);
            a1.intoArray(z, gates + j);
            a2.intoArray(z, 2 * gates + j);
            a3.intoArray(z, 3 * gates + j);
        }
    }

    private void cells(float[] z, float[] cs, float[] hs, int off) {
        for (int b = 0; b < B; b++) {
            cellSimd(z, b * gates, cs, hs, off + b * h);
        }
    }

    /**
     * One window's gate blocks at {@code z[zOff..]} update its cell and hidden state at {@code
     * off}.
     */
    private void cellSimd(float[] z, int zOff, float[] cs, float[] hs, int off) {
        FloatVector one = FloatVector.broadcast(S, 1f);
        for (int k = 0; k < h; k += S.length()) {
            FloatVector g = FloatVector.fromArray(S, z, zOff + k).lanewise(VectorOperators.TANH);
            FloatVector f = sigmoid(FloatVector.fromArray(S, z, zOff + h + k), one);
            FloatVector o = sigmoid(FloatVector.fromArray(S, z, zOff + 2 * h + k), one);
            FloatVector i = sigmoid(FloatVector.fromArray(S, z, zOff + 3 * h + k), one);
            FloatVector c = f.mul(FloatVector.fromArray(S, cs, off + k)).add(i.mul(g));
            c.intoArray(cs, off + k);
            o.mul(c.lanewise(VectorOperators.TANH)).intoArray(hs, off + k);
        }
    }

    private static FloatVector sigmoid(FloatVector x, FloatVector one) {
        return one.div(one.add(x.neg().lanewise(VectorOperators.EXP)));
    }
}
