package dev.byoe.model.anomaly.deeplog;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The weights of a stacked LSTM with a dense output, in DL4J's layout: per layer the input weights
 * {@code [in][4H]}, recurrent weights {@code [H][4H]} and bias {@code [4H]}, gate blocks in the
 * order block input, forget, output, input gate; then the output weights {@code [H][classes]} and
 * bias. Saved as a small header and little-endian float32 arrays: plain data.
 */
public record LstmWeights(
        int hidden,
        int inputs,
        int classes,
        float[][] input,
        float[][] recurrent,
        float[][] bias,
        float[] output,
        float[] outputBias) {
    private static final int MAGIC = 0x4C53544D; // "LSTM"

    public LstmWeights {
        int g = 4 * hidden;
        for (int l = 0; l < input.length; l++) {
            int in = l == 0 ? inputs : hidden;
            check(input[l].length == in * g, "input weights of layer " + l);
            check(recurrent[l].length == hidden * g, "recurrent weights of layer " + l);
            check(bias[l].length == g, "bias of layer " + l);
        }
        check(output.length == hidden * classes, "output weights");
        check(outputBias.length == classes, "output bias");
    }

    private static void check(boolean ok, String what) {
        if (!ok) {
            throw new IllegalArgumentException("LSTM weights: wrong size of the " + what);
        }
    }

    public int layers() {
        return input.length;
    }

    public void write(OutputStream out) throws IOException {
        DataOutputStream d = new DataOutputStream(out);
        d.writeInt(MAGIC);
        d.writeInt(layers());
        d.writeInt(hidden);
        d.writeInt(inputs);
        d.writeInt(classes);
        for (int l = 0; l < layers(); l++) {
            floats(d, input[l]);
            floats(d, recurrent[l]);
            floats(d, bias[l]);
        }
        floats(d, output);
        floats(d, outputBias);
        d.flush();
    }

    private static void floats(DataOutputStream d, float[] a) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(a.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(a);
        d.write(b.array());
    }

    /**
     * Reads what {@link #write} wrote; a truncated or inconsistent file is an {@link IOException}.
     */
    public static LstmWeights read(InputStream in) throws IOException {
        DataInputStream d = new DataInputStream(in);
        if (d.readInt() != MAGIC) {
            throw new IOException("not an LSTM weights file");
        }
        int layers = d.readInt();
        int hidden = d.readInt();
        int inputs = d.readInt();
        int classes = d.readInt();
        if (layers < 1
                || layers > 16
                || hidden < 1
                || hidden > 4096
                || inputs < 1
                || inputs > 1 << 20
                || classes < 1
                || classes > 1 << 20) {
            throw new IOException("LSTM weights header out of range");
        }
        float[][] w = new float[layers][];
        float[][] rw = new float[layers][];
        float[][] b = new float[layers][];
        for (int l = 0; l < layers; l++) {
            w[l] = floats(d, (l == 0 ? inputs : hidden) * 4 * hidden);
            rw[l] = floats(d, hidden * 4 * hidden);
            b[l] = floats(d, 4 * hidden);
        }
        float[] o = floats(d, hidden * classes);
        float[] ob = floats(d, classes);
        if (d.read() != -1) {
            throw new IOException("LSTM weights file has trailing bytes");
        }
        return new LstmWeights(hidden, inputs, classes, w, rw, b, o, ob);
    }

    private static float[] floats(DataInputStream d, int n) throws IOException {
        byte[] bytes = new byte[n * 4];
        d.readFully(bytes);
        float[] out = new float[n];
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(out);
        return out;
    }
}
