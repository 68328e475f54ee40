package dev.byoe.model.anomaly.deeplog;

import static dev.byoe.model.anomaly.deeplog.Activations.EXPONENT_BIAS;
import static dev.byoe.model.anomaly.deeplog.Activations.EXP_P0;
import static dev.byoe.model.anomaly.deeplog.Activations.EXP_P1;
import static dev.byoe.model.anomaly.deeplog.Activations.EXP_P2;
import static dev.byoe.model.anomaly.deeplog.Activations.EXP_P3;
import static dev.byoe.model.anomaly.deeplog.Activations.EXP_P4;
import static dev.byoe.model.anomaly.deeplog.Activations.EXP_P5;
import static dev.byoe.model.anomaly.deeplog.Activations.LN2_HIGH;
import static dev.byoe.model.anomaly.deeplog.Activations.LN2_LOW;
import static dev.byoe.model.anomaly.deeplog.Activations.LOG2E;
import static dev.byoe.model.anomaly.deeplog.Activations.ROUND;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The forward pass a block of windows at a time with the Vector API: each weight vector loaded is
 * used by every window of the block in independent fused multiply-add chains, and the gate
 * non-linearities run on whole vectors. Loaded only once {@code jdk.incubator.vector} is in the JVM
 * ({@link LstmForward#of}).
 */
final class VectorLstmForward extends LstmForward {
    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

    /**
     * Output vectors each window's chains cover in one pass over a weight matrix: four where the
     * CPU has 32 vector registers (AVX-512, ARM), two where it has 16 (x86 without AVX-512). Four
     * there would need sixteen accumulators, four weight vectors and a broadcast at once, which do
     * not fit and spill to the stack on every step (bench/RESULTS.md, DeepLog inference speed).
     */
    static final int WIDE = 4;

    static final int NARROW = 2;

    private final int chunk;

    /**
     * Windows computed together: four with {@link #WIDE} (sixteen chains), six with {@link #NARROW}
     * (twelve chains, two weight vectors and a broadcast: fifteen of sixteen registers), so each
     * weight vector loaded serves as many windows as the registers allow.
     */
    private final int block;

    /**
     * The output layer's weights and bias with each row padded with zeros to a whole number of
     * pairs of vectors, so that it runs on vectors with no tail; {@link #outputSimd} drops the pad.
     */
    private final int paddedClasses;

    private final float[] paddedOutput;
    private final float[] paddedOutputBias;

    VectorLstmForward(LstmWeights weights) {
        this(weights, sixteenRegisters() ? NARROW : WIDE);
    }

    /** With {@code chunk} ({@link #WIDE} or {@link #NARROW}) output vectors per pass. */
    VectorLstmForward(LstmWeights weights, int chunk) {
        super(weights);
        if (chunk != WIDE && chunk != NARROW) {
            throw new IllegalArgumentException("chunk " + chunk);
        }
        this.chunk = chunk;
        this.block = chunk == WIDE ? 4 : 6;
        int classes = weights.classes();
        int pair = 2 * S.length();
        this.paddedClasses = (classes + pair - 1) / pair * pair;
        this.paddedOutput = new float[h * paddedClasses];
        for (int k = 0; k < h; k++) {
            System.arraycopy(
                    weights.output(), k * classes, paddedOutput, k * paddedClasses, classes);
        }
        this.paddedOutputBias = Arrays.copyOf(weights.outputBias(), paddedClasses);
    }

    /** The kernel this CPU runs best ({@link LstmForward#of} calls it, see there why). */
    static LstmForward create(LstmWeights weights) {
        return new VectorLstmForward(weights);
    }

    /** The same weights with the kernel this CPU did not choose (for comparisons). */
    static LstmForward otherKernelOf(LstmForward chosen) {
        VectorLstmForward v = (VectorLstmForward) chosen;
        return new VectorLstmForward(v.w, v.chunk == WIDE ? NARROW : WIDE);
    }

    /** x86 below AVX-512 has 16 vector registers; AVX-512 and ARM's SIMD have 32. */
    private static boolean sixteenRegisters() {
        String arch = System.getProperty("os.arch", "");
        boolean x86 = arch.equals("amd64") || arch.equals("x86_64");
        return x86 && S.vectorBitSize() < 512;
    }

    /**
     * Whether the hidden size is a whole number of vectors: then the gates (four times it) split
     * into chunks of four vectors exactly, which is how both {@link #accumulate} and {@link
     * #accumulateOne} walk them.
     */
    static boolean supports(LstmWeights w) {
        return w.hidden() % S.length() == 0;
    }

    @Override
    public String kind() {
        return "vector-" + S.vectorBitSize() + "-" + block + "x" + chunk;
    }

    @Override
    public void logits(int[] inputs, int offset, int n, int window, float[] out) {
        PaddedStarts starts = paddedStarts(window);
        int[] lead = new int[n];
        int[] order = byLeadingPadding(inputs, offset, n, window, lead);
        int layers = w.layers();
        float[] hs = new float[layers * block * h];
        float[] cs = new float[layers * block * h];
        float[] z = new float[block * gates];
        int[] rows = new int[block];
        float[] scratch = new float[paddedClasses];
        for (int s0 = 0; s0 < n; s0 += block) {
            int m = Math.min(block, n - s0);
            // Sorted by leading padding, so the block's first window has the least of it.
            int from = lead[order[s0]];
            if (m == 1) {
                int i = order[s0];
                one(
                        inputs,
                        offset + i * window,
                        window,
                        from,
                        starts,
                        scratch,
                        out,
                        i * w.classes());
                continue;
            }
            for (int b = 0; b < block; b++) {
                // A short last block repeats its final window; the extra results are dropped.
                rows[b] = offset + order[s0 + Math.min(b, m - 1)] * window;
                startFrom(starts, from, hs, cs, b);
            }
            for (int t = from; t < window; t++) {
                step(inputs, rows, t, t == 0, hs, cs, z);
            }
            int last = (layers - 1) * block * h;
            for (int b = 0; b < m; b++) {
                outputSimd(hs, last + b * h, scratch, out, order[s0 + b] * w.classes());
            }
        }
    }

    /**
     * One time step of a block of windows whose ids at step {@code t} are {@code inputs[rows[b] +
     * t]}. At the first step the state is zero, so the recurrent products are skipped.
     */
    private void step(
            int[] inputs, int[] rows, int t, boolean first, float[] hs, float[] cs, float[] z) {
        for (int l = 0; l < w.layers(); l++) {
            float[] bias = w.bias()[l];
            float[] in = w.input()[l];
            for (int b = 0; b < block; b++) {
                if (l == 0) {
                    firstLayerInput(inputs[rows[b] + t], z, b * gates);
                } else {
                    System.arraycopy(bias, 0, z, b * gates, gates);
                }
            }
            if (l > 0) {
                accumulate(in, hs, (l - 1) * block * h, z);
            }
            if (!first) {
                accumulate(w.recurrent()[l], hs, l * block * h, z);
            }
            cells(z, cs, hs, l * block * h);
        }
    }

    /**
     * The window positions sorted by how many padding ids they start with (counting sort, stable);
     * {@code lead[i]} receives window {@code i}'s count.
     */
    private int[] byLeadingPadding(int[] inputs, int offset, int n, int window, int[] lead) {
        int[] counts = new int[window + 2];
        for (int i = 0; i < n; i++) {
            lead[i] = leadingPadding(inputs, offset + i * window, window);
            counts[lead[i] + 1]++;
        }
        for (int p = 0; p <= window; p++) {
            counts[p + 1] += counts[p];
        }
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[counts[lead[i]]++] = i;
        }
        return order;
    }

    /** Puts the state after {@code p} padding ids into block slot {@code b}. */
    private void startFrom(PaddedStarts starts, int p, float[] hs, float[] cs, int b) {
        for (int l = 0; l < w.layers(); l++) {
            System.arraycopy(starts.hidden()[p], l * h, hs, (l * block + b) * h, h);
            System.arraycopy(starts.cell()[p], l * h, cs, (l * block + b) * h, h);
        }
    }

    /**
     * The padded starts, each computed by this pass's own steps of one window alone: a fraction of
     * a block's work, which matters when the pass is not compiled yet.
     */
    private PaddedStarts paddedStarts(int window) {
        return paddedStarts(window, this::stepOne);
    }

    /**
     * One window on its own (a single-event request): eight independent accumulators over
     * neighbouring output chunks instead of a block of windows, so nothing is computed for nothing.
     */
    private void one(
            int[] inputs,
            int offset,
            int window,
            int from,
            PaddedStarts starts,
            float[] scratch,
            float[] out,
            int outOff) {
        float[] hs = starts.hidden()[from].clone();
        float[] cs = starts.cell()[from].clone();
        float[] z = new float[gates];
        for (int t = from; t < window; t++) {
            stepOne(inputs[offset + t], t == 0, hs, cs, z);
        }
        outputSimd(hs, (w.layers() - 1) * h, scratch, out, outOff);
    }

    /** One time step of one window; at the first the state is zero (no recurrent products). */
    private void stepOne(int token, boolean first, float[] hs, float[] cs, float[] z) {
        for (int l = 0; l < w.layers(); l++) {
            if (l == 0) {
                firstLayerInput(token, z, 0);
            } else {
                System.arraycopy(w.bias()[l], 0, z, 0, gates);
                accumulateOne(w.input()[l], hs, (l - 1) * h, z);
            }
            if (!first) {
                accumulateOne(w.recurrent()[l], hs, l * h, z);
            }
            cellSimd(z, 0, cs, hs, l * h);
        }
    }

    /**
     * The first layer's gate inputs for id {@code token} into {@code z[zOff..]}: its bias plus the
     * token's row of input weights (the input is one-hot, so that row is the whole product).
     */
    private void firstLayerInput(int token, float[] z, int zOff) {
        float[] bias = w.bias()[0];
        float[] in = w.input()[0];
        int row = token * gates;
        for (int j = 0; j < gates; j += S.length()) {
            FloatVector.fromArray(S, bias, j)
                    .add(FloatVector.fromArray(S, in, row + j))
                    .intoArray(z, zOff + j);
        }
    }

    /**
     * {@code z += x . m} for one window: eight output vectors at a time, so eight fused
     * multiply-add chains hide the instruction's latency (four left the FMA units half idle); eight
     * accumulators and a broadcast fit in sixteen registers. The gates are four times a whole
     * number of vectors, so at most four are left for {@link #accumulateFour}. Every element is
     * summed over {@code k} in the same order as in the blocks, so a lone window's logits are
     * theirs to the bit.
     */
    private void accumulateOne(float[] m, float[] x, int xOff, float[] z) {
        int l = S.length();
        int j = 0;
        for (; j + 8 * l <= gates; j += 8 * l) {
            FloatVector a0 = FloatVector.fromArray(S, z, j);
            FloatVector a1 = FloatVector.fromArray(S, z, j + l);
            FloatVector a2 = FloatVector.fromArray(S, z, j + 2 * l);
            FloatVector a3 = FloatVector.fromArray(S, z, j + 3 * l);
            FloatVector a4 = FloatVector.fromArray(S, z, j + 4 * l);
            FloatVector a5 = FloatVector.fromArray(S, z, j + 5 * l);
            FloatVector a6 = FloatVector.fromArray(S, z, j + 6 * l);
            FloatVector a7 = FloatVector.fromArray(S, z, j + 7 * l);
            for (int k = 0, row = j; k < h; k++, row += gates) {
                FloatVector v = FloatVector.broadcast(S, x[xOff + k]);
                a0 = FloatVector.fromArray(S, m, row).fma(v, a0);
                a1 = FloatVector.fromArray(S, m, row + l).fma(v, a1);
                a2 = FloatVector.fromArray(S, m, row + 2 * l).fma(v, a2);
                a3 = FloatVector.fromArray(S, m, row + 3 * l).fma(v, a3);
                a4 = FloatVector.fromArray(S, m, row + 4 * l).fma(v, a4);
                a5 = FloatVector.fromArray(S, m, row + 5 * l).fma(v, a5);
                a6 = FloatVector.fromArray(S, m, row + 6 * l).fma(v, a6);
                a7 = FloatVector.fromArray(S, m, row + 7 * l).fma(v, a7);
            }
            a0.intoArray(z, j);
            a1.intoArray(z, j + l);
            a2.intoArray(z, j + 2 * l);
            a3.intoArray(z, j + 3 * l);
            a4.intoArray(z, j + 4 * l);
            a5.intoArray(z, j + 5 * l);
            a6.intoArray(z, j + 6 * l);
            a7.intoArray(z, j + 7 * l);
        }
        if (j < gates) {
            accumulateFour(m, x, xOff, z, j);
        }
    }

    /** {@link #accumulateOne} for the four output vectors from {@code j}. */
    private void accumulateFour(float[] m, float[] x, int xOff, float[] z, int j) {
        int l = S.length();
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

    /**
     * The output layer for one window's last hidden state at {@code hLast[hOff..]}: its logits into
     * {@code out[outOff..]}, by way of {@code scratch} (padded length). Two vectors of classes at a
     * time, so two fused multiply-add chains overlap; blocks and lone windows both end here, so
     * their logits are the same bits.
     */
    private void outputSimd(float[] hLast, int hOff, float[] scratch, float[] out, int outOff) {
        int l = S.length();
        for (int c = 0; c < paddedClasses; c += 2 * l) {
            FloatVector a0 = FloatVector.fromArray(S, paddedOutputBias, c);
            FloatVector a1 = FloatVector.fromArray(S, paddedOutputBias, c + l);
            for (int k = 0, row = c; k < h; k++, row += paddedClasses) {
                FloatVector v = FloatVector.broadcast(S, hLast[hOff + k]);
                a0 = FloatVector.fromArray(S, paddedOutput, row).fma(v, a0);
                a1 = FloatVector.fromArray(S, paddedOutput, row + l).fma(v, a1);
            }
            a0.intoArray(scratch, c);
            a1.intoArray(scratch, c + l);
        }
        System.arraycopy(scratch, 0, out, outOff, w.classes());
    }

    /**
     * {@code z[b] += x[b] . m} for the block's windows {@code b}; {@code x[b]} is {@code h} long.
     */
    private void accumulate(float[] m, float[] x, int xOff, float[] z) {
        if (chunk == WIDE) {
            accumulateWide(m, x, xOff, z);
        } else {
            accumulateNarrow(m, x, xOff, z);
        }
    }

    /**
     * Four neighbouring output vectors at a time for the four windows: sixteen independent fused
     * multiply-add chains, enough to hide the instruction's latency, and each weight vector and
     * each broadcast input loaded once for four of them.
     */
    private void accumulateWide(float[] m, float[] x, int xOff, float[] z) {
        int l = S.length();
        int x0 = xOff, x1 = xOff + h, x2 = xOff + 2 * h, x3 = xOff + 3 * h;
        int z1 = gates, z2 = 2 * gates, z3 = 3 * gates;
        for (int j = 0; j < gates; j += 4 * l) {
            int j1 = j + l, j2 = j + 2 * l, j3 = j + 3 * l;
            FloatVector a00 = FloatVector.fromArray(S, z, j);
            FloatVector a01 = FloatVector.fromArray(S, z, j1);
            FloatVector a02 = FloatVector.fromArray(S, z, j2);
            FloatVector a03 = FloatVector.fromArray(S, z, j3);
            FloatVector a10 = FloatVector.fromArray(S, z, z1 + j);
            FloatVector a11 = FloatVector.fromArray(S, z, z1 + j1);
            FloatVector a12 = FloatVector.fromArray(S, z, z1 + j2);
            FloatVector a13 = FloatVector.fromArray(S, z, z1 + j3);
            FloatVector a20 = FloatVector.fromArray(S, z, z2 + j);
            FloatVector a21 = FloatVector.fromArray(S, z, z2 + j1);
            FloatVector a22 = FloatVector.fromArray(S, z, z2 + j2);
            FloatVector a23 = FloatVector.fromArray(S, z, z2 + j3);
            FloatVector a30 = FloatVector.fromArray(S, z, z3 + j);
            FloatVector a31 = FloatVector.fromArray(S, z, z3 + j1);
            FloatVector a32 = FloatVector.fromArray(S, z, z3 + j2);
            FloatVector a33 = FloatVector.fromArray(S, z, z3 + j3);
            for (int k = 0, row = j; k < h; k++, row += gates) {
                FloatVector w0 = FloatVector.fromArray(S, m, row);
                FloatVector w1 = FloatVector.fromArray(S, m, row + l);
                FloatVector w2 = FloatVector.fromArray(S, m, row + 2 * l);
                FloatVector w3 = FloatVector.fromArray(S, m, row + 3 * l);
                FloatVector v = FloatVector.broadcast(S, x[x0 + k]);
                a00 = w0.fma(v, a00);
                a01 = w1.fma(v, a01);
                a02 = w2.fma(v, a02);
                a03 = w3.fma(v, a03);
                v = FloatVector.broadcast(S, x[x1 + k]);
                a10 = w0.fma(v, a10);
                a11 = w1.fma(v, a11);
                a12 = w2.fma(v, a12);
                a13 = w3.fma(v, a13);
                v = FloatVector.broadcast(S, x[x2 + k]);
                a20 = w0.fma(v, a20);
                a21 = w1.fma(v, a21);
                a22 = w2.fma(v, a22);
                a23 = w3.fma(v, a23);
                v = FloatVector.broadcast(S, x[x3 + k]);
                a30 = w0.fma(v, a30);
                a31 = w1.fma(v, a31);
                a32 = w2.fma(v, a32);
                a33 = w3.fma(v, a33);
            }
            a00.intoArray(z, j);
            a01.intoArray(z, j1);
            a02.intoArray(z, j2);
            a03.intoArray(z, j3);
            a10.intoArray(z, z1 + j);
            a11.intoArray(z, z1 + j1);
            a12.intoArray(z, z1 + j2);
            a13.intoArray(z, z1 + j3);
            a20.intoArray(z, z2 + j);
            a21.intoArray(z, z2 + j1);
            a22.intoArray(z, z2 + j2);
            a23.intoArray(z, z2 + j3);
            a30.intoArray(z, z3 + j);
            a31.intoArray(z, z3 + j1);
            a32.intoArray(z, z3 + j2);
            a33.intoArray(z, z3 + j3);
        }
    }

    /**
     * Two neighbouring output vectors at a time for six windows: twelve chains, which with two
     * weight vectors and a broadcast fit in sixteen registers. Each output element sums its
     * products in the same order as in {@link #accumulateWide} and {@link #accumulateOne}, so the
     * logits are the same to the last bit.
     */
    private void accumulateNarrow(float[] m, float[] x, int xOff, float[] z) {
        int l = S.length();
        int x0 = xOff, x1 = xOff + h, x2 = xOff + 2 * h, x3 = xOff + 3 * h;
        int x4 = xOff + 4 * h, x5 = xOff + 5 * h;
        int z1 = gates, z2 = 2 * gates, z3 = 3 * gates, z4 = 4 * gates, z5 = 5 * gates;
        for (int j = 0; j < gates; j += 2 * l) {
            int j1 = j + l;
            FloatVector a00 = FloatVector.fromArray(S, z, j);
            FloatVector a01 = FloatVector.fromArray(S, z, j1);
            FloatVector a10 = FloatVector.fromArray(S, z, z1 + j);
            FloatVector a11 = FloatVector.fromArray(S, z, z1 + j1);
            FloatVector a20 = FloatVector.fromArray(S, z, z2 + j);
            FloatVector a21 = FloatVector.fromArray(S, z, z2 + j1);
            FloatVector a30 = FloatVector.fromArray(S, z, z3 + j);
            FloatVector a31 = FloatVector.fromArray(S, z, z3 + j1);
            FloatVector a40 = FloatVector.fromArray(S, z, z4 + j);
            FloatVector a41 = FloatVector.fromArray(S, z, z4 + j1);
            FloatVector a50 = FloatVector.fromArray(S, z, z5 + j);
            FloatVector a51 = FloatVector.fromArray(S, z, z5 + j1);
            for (int k = 0, row = j; k < h; k++, row += gates) {
                FloatVector w0 = FloatVector.fromArray(S, m, row);
                FloatVector w1 = FloatVector.fromArray(S, m, row + l);
                FloatVector v = FloatVector.broadcast(S, x[x0 + k]);
                a00 = w0.fma(v, a00);
                a01 = w1.fma(v, a01);
                v = FloatVector.broadcast(S, x[x1 + k]);
                a10 = w0.fma(v, a10);
                a11 = w1.fma(v, a11);
                v = FloatVector.broadcast(S, x[x2 + k]);
                a20 = w0.fma(v, a20);
                a21 = w1.fma(v, a21);
                v = FloatVector.broadcast(S, x[x3 + k]);
                a30 = w0.fma(v, a30);
                a31 = w1.fma(v, a31);
                v = FloatVector.broadcast(S, x[x4 + k]);
                a40 = w0.fma(v, a40);
                a41 = w1.fma(v, a41);
                v = FloatVector.broadcast(S, x[x5 + k]);
                a50 = w0.fma(v, a50);
                a51 = w1.fma(v, a51);
            }
            a00.intoArray(z, j);
            a01.intoArray(z, j1);
            a10.intoArray(z, z1 + j);
            a11.intoArray(z, z1 + j1);
            a20.intoArray(z, z2 + j);
            a21.intoArray(z, z2 + j1);
            a30.intoArray(z, z3 + j);
            a31.intoArray(z, z3 + j1);
            a40.intoArray(z, z4 + j);
            a41.intoArray(z, z4 + j1);
            a50.intoArray(z, z5 + j);
            a51.intoArray(z, z5 + j1);
        }
    }

    private void cells(float[] z, float[] cs, float[] hs, int off) {
        for (int b = 0; b < block; b++) {
            cellSimd(z, b * gates, cs, hs, off + b * h);
        }
    }

    /**
     * One window's gate blocks at {@code z[zOff..]} update its cell and hidden state at {@code
     * off}. Blocks of windows and a window alone run the same operations in the same order, so a
     * window's logits do not depend on the request it came in (the window cache relies on it).
     */
    private void cellSimd(float[] z, int zOff, float[] cs, float[] hs, int off) {
        tanhInPlace(z, zOff, zOff + h); // g
        sigmoidInPlace(z, zOff + h, zOff + 4 * h); // f, o, i
        for (int k = 0; k < h; k += S.length()) {
            FloatVector g = FloatVector.fromArray(S, z, zOff + k);
            FloatVector f = FloatVector.fromArray(S, z, zOff + h + k);
            FloatVector i = FloatVector.fromArray(S, z, zOff + 3 * h + k);
            FloatVector c = f.mul(FloatVector.fromArray(S, cs, off + k)).add(i.mul(g));
            c.intoArray(cs, off + k);
            c.intoArray(z, zOff + k); // g is used up: its place holds tanh(c) next
        }
        tanhInPlace(z, zOff, zOff + h);
        for (int k = 0; k < h; k += S.length()) {
            FloatVector o = FloatVector.fromArray(S, z, zOff + 2 * h + k);
            o.mul(FloatVector.fromArray(S, z, zOff + k)).intoArray(hs, off + k);
        }
    }

    /**
     * tanh over {@code z[from, to)}: 2 sigmoid(2x) - 1, from the same exponential the sigmoids use
     * (doubling is exact, so that is 2 / (1 + e^-2x) - 1 bit for bit). The library's vector tanh
     * took about a quarter of the pass's time on an AVX2 CPU (bench/RESULTS.md, DeepLog inference
     * speed). Within 2e-7 of {@link Math#tanh}; exactly -1 and 1 at the ends.
     */
    static void tanhInPlace(float[] z, int from, int to) {
        activate(z, from, to, 2f, 2f, -1f);
    }

    static void sigmoidInPlace(float[] z, int from, int to) {
        activate(z, from, to, 1f, 1f, 0f);
    }

    /**
     * {@code z[j] = outScale / (1 + e^(-inScale z[j])) + outShift} over {@code [from, to)}, a whole
     * number of vectors: {@link Activations#activate} lane by lane, the same operations in the same
     * order, so this gives the scalar pass's bits. The library's vector exponential would not: its
     * Java fallback, which runs until the JIT compiles the caller, differs from the compiled
     * intrinsic in about 4% of lanes by an ulp, so a window's logits depended on when in the JVM's
     * life it was computed. Written out in the loop rather than as a method on vectors: a method
     * this size is not always inlined, and a vector that crosses a call is boxed (1.7x slower).
     */
    private static void activate(
            float[] z, int from, int to, float inScale, float outScale, float outShift) {
        FloatVector one = FloatVector.broadcast(S, 1f);
        FloatVector low = FloatVector.broadcast(S, -87f);
        FloatVector high = FloatVector.broadcast(S, 88f);
        for (int j = from; j < to; j += S.length()) {
            FloatVector x = FloatVector.fromArray(S, z, j).mul(-inScale);
            // Clamped by compare and blend: lanewise MIN and MAX keep Math.min's rules for NaN and
            // -0, which cost several instructions each on AVX2. NaN compares false and stays.
            x = x.blend(low, x.compare(VectorOperators.LT, low));
            x = x.blend(high, x.compare(VectorOperators.GT, high));
            FloatVector shifted = x.mul(LOG2E).add(ROUND);
            FloatVector n = shifted.sub(ROUND);
            FloatVector r = n.fma(FloatVector.broadcast(S, -LN2_HIGH), x);
            r = n.fma(FloatVector.broadcast(S, -LN2_LOW), r);
            FloatVector p = r.fma(EXP_P0, EXP_P1);
            p = p.fma(r, FloatVector.broadcast(S, EXP_P2));
            p = p.fma(r, FloatVector.broadcast(S, EXP_P3));
            p = p.fma(r, FloatVector.broadcast(S, EXP_P4));
            p = p.fma(r, FloatVector.broadcast(S, EXP_P5));
            FloatVector scale =
                    shifted.reinterpretAsInts()
                            .add(EXPONENT_BIAS)
                            .lanewise(VectorOperators.LSHL, 23)
                            .reinterpretAsFloats();
            FloatVector e = p.fma(r.mul(r), r.add(1f)).mul(scale);
            one.div(one.add(e)).mul(outScale).add(outShift).intoArray(z, j);
        }
    }
}
