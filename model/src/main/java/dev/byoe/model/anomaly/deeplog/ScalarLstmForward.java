package dev.byoe.model.anomaly.deeplog;

/** The forward pass one window at a time with scalar loops (used without the Vector API). */
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
            java.util.Arrays.fill(hs, 0);
            java.util.Arrays.fill(cs, 0);
            for (int t = 0; t < window; t++) {
                for (int l = 0; l < layers; l++) {
                    float[] b = w.bias()[l];
                    float[] in = w.input()[l];
                    if (l == 0) {
                        int row = inputs[offset + s * window + t] * gates;
                        for (int j = 0; j < gates; j++) {
                            z[j] = b[j] + in[row + j];
                        }
                    } else {
                        System.arraycopy(b, 0, z, 0, gates);
                        axpy(in, hs, (l - 1) * h, z);
                    }
                    axpy(w.recurrent()[l], hs, l * h, z);
                    cell(z, 0, cs, hs, l * h);
                }
            }
            output(hs, (layers - 1) * h, out, s * w.classes());
        }
    }

    /** {@code z += x[xOff..xOff+h) . m}, row by row so that the inner loop vectorises. */
    private void axpy(float[] m, float[] x, int xOff, float[] z) {
        for (int k = 0; k < h; k++) {
            float v = x[xOff + k];
            int row = k * gates;
            for (int j = 0; j < gates; j++) {
                z[j] += v * m[row + j];
            }
        }
    }
}
