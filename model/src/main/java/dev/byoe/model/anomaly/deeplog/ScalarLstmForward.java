package dev.byoe.model.anomaly.deeplog;

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
        PaddedStarts starts = paddedStarts(window, this::step);
        float[] z = new float[gates];
        for (int s = 0; s < n; s++) {
            int from = offset + s * window;
            int lead = leadingPadding(inputs, from, window);
            float[] hs = starts.hidden()[lead].clone();
            float[] cs = starts.cell()[lead].clone();
            for (int t = lead; t < window; t++) {
                step(inputs[from + t], t == 0, hs, cs, z);
            }
            output(hs, (w.layers() - 1) * h, out, s * w.classes());
        }
    }

    private void step(int token, boolean first, float[] hs, float[] cs, float[] z) {
        for (int l = 0; l < w.layers(); l++) {
            float[] b = w.bias()[l];
            if (l == 0) {
                // The input is one-hot: the id's row of input weights is the product.
                float[] in = w.input()[0];
                int row = token * gates;
                for (int j = 0; j < gates; j++) {
                    z[j] = b[j] + in[row + j];
                }
            } else {
                System.arraycopy(b, 0, z, 0, gates);
                accumulate(w.input()[l], hs, (l - 1) * h, z);
            }
            if (!first) {
                accumulate(w.recurrent()[l], hs, l * h, z);
            }
            cell(z, cs, hs, l * h);
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
