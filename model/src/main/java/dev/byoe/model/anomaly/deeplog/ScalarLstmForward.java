package dev.byoe.model.anomaly.deeplog;

import java.util.Arrays;

/**
 * The forward pass one window at a time with scalar loops: for a JVM without the Vector API, and
 * while the vector pass is compiled ({@link WarmingLstmForward}). Every element goes through the
 * same operations in the same order as in {@link VectorLstmForward} (each product summed over the
 * inputs in one fused multiply-add chain, {@link Activations} for the gates), so the two give the
 * same logits to the bit.
 */
final class ScalarLstmForward extends LstmForward {
    ScalarLstmForward(LstmWeights weights) {
        super(weights);
    }

    @Override
    public String kind() {
        return "scalar";
    }

    @Override
    public void logits(int[] inputs, int offset, int n, int window, float[] out) {
        int layers = w.layers();
        float[] hs = new float[layers * h];
        float[] cs = new float[layers * h];
        float[] z = new float[gates];
        for (int s = 0; s < n; s++) {
            Arrays.fill(hs, 0);
            Arrays.fill(cs, 0);
            for (int t = 0; t < window; t++) {
                for (int l = 0; l < layers; l++) {
                    float[] b = w.bias()[l];
                    float[] in = w.input()[l];
                    if (l == 0) {
                        // The input is one-hot: the id's row of input weights is the product.
                        int row = inputs[offset + s * window + t] * gates;
                        for (int j = 0; j < gates; j++) {
                            z[j] = b[j] + in[row + j];
                        }
                    } else {
                        System.arraycopy(b, 0, z, 0, gates);
                        accumulate(in, hs, (l - 1) * h, z);
                    }
                    if (t > 0) { // the state is zero at the first step
                        accumulate(w.recurrent()[l], hs, l * h, z);
                    }
                    cell(z, cs, hs, l * h);
                }
            }
            output(hs, (layers - 1) * h, out, s * w.classes());
        }
    }

    /** {@code z += x[xOff..xOff+h) . m}, row by row, so the inner loop runs along a row. */
    private void accumulate(float[] m, float[] x, int xOff, float[] z) {
        for (int k = 0; k < h; k++) {
            float v = x[xOff + k];
            int row = k * gates;
            for (int j = 0; j < gates; j++) {
                z[j] = Math.fma(m[row + j], v, z[j]);
            }
        }
    }

    /** Gate blocks of {@code z}: block input (tanh), forget, output, input gate (sigmoid). */
    private void cell(float[] z, float[] c, float[] hs, int off) {
        for (int k = 0; k < h; k++) {
            float g = Activations.tanh(z[k]);
            float f = Activations.sigmoid(z[h + k]);
            float o = Activations.sigmoid(z[2 * h + k]);
            float i = Activations.sigmoid(z[3 * h + k]);
            float cell = f * c[off + k] + i * g;
            c[off + k] = cell;
            hs[off + k] = o * Activations.tanh(cell);
        }
    }

    private void output(float[] hLast, int hOff, float[] out, int outOff) {
        int classes = w.classes();
        System.arraycopy(w.outputBias(), 0, out, outOff, classes);
        float[] o = w.output();
        for (int k = 0; k < h; k++) {
            float x = hLast[hOff + k];
            int row = k * classes;
            for (int c = 0; c < classes; c++) {
                out[outOff + c] = Math.fma(o[row + c], x, out[outOff + c]);
            }
        }
    }
}
