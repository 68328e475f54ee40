package dev.byoe.ensemble.anomaly.deeplog;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The forward pass four windows at a time with the Vector API: each weight vector loaded is used
 * by four independent fused multiply-add chains, and the gate non-linearities run on whole
 * vectors. Loaded only when {@code jdk.incubator.vector} is in the boot layer.
 */
final class VectorLstmForward extends LstmForward {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int B = 4;

    VectorLstmForward(LstmWeights weights) {
        super(weights);
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
                                FloatVector.fromArray(S, bias, j).add(FloatVector.fromArray(S, in, row + j))
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
        FloatVector one = FloatVector.broadcast(S, 1f);
        for (int b = 0; b < B; b++) {
            int zb = b * gates;
            int sb = off + b * h;
            for (int k = 0; k < h; k += S.length()) {
                FloatVector g = FloatVector.fromArray(S, z, zb + k).lanewise(VectorOperators.TANH);
                FloatVector f = sigmoid(FloatVector.fromArray(S, z, zb + h + k), one);
                FloatVector o = sigmoid(FloatVector.fromArray(S, z, zb + 2 * h + k), one);
                FloatVector i = sigmoid(FloatVector.fromArray(S, z, zb + 3 * h + k), one);
                FloatVector c = f.mul(FloatVector.fromArray(S, cs, sb + k)).add(i.mul(g));
                c.intoArray(cs, sb + k);
                o.mul(c.lanewise(VectorOperators.TANH)).intoArray(hs, sb + k);
            }
        }
    }

    private static FloatVector sigmoid(FloatVector x, FloatVector one) {
        return one.div(one.add(x.neg().lanewise(VectorOperators.EXP)));
    }
}
