package dev.byoe.training.anomaly.deeplog;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.byoe.model.anomaly.SessionBatch;
import dev.byoe.model.anomaly.deeplog.DeepLogSettings;
import dev.byoe.model.anomaly.deeplog.LstmForward;
import dev.byoe.model.anomaly.deeplog.LstmWeights;
import dev.byoe.model.anomaly.deeplog.Windows;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The Java forward passes against DL4J's own output for the same weights. */
class LstmForwardTest {
    private static Windows randomWindows(int n, int length, int events, long seed) {
        Random r = new Random(seed);
        List<String> ids = new ArrayList<>();
        int[][] sessions = new int[n][];
        for (int i = 0; i < n; i++) {
            ids.add("s" + i);
            sessions[i] = r.ints(1 + r.nextInt(length), 0, events).toArray();
        }
        return Windows.of(new SessionBatch(ids, sessions), 10, events, true);
    }

    private static double worstDifference(DeepLogNetwork net, LstmForward forward, Windows w)
            throws Exception {
        return DeepLogTrainer.agreement(net, forward, w).worst();
    }

    @Test
    void scalarAndVectorPassesMatchDl4jForSeveralShapes() throws Exception {
        for (int[] shape : new int[][] {{2, 64}, {1, 16}, {3, 32}}) {
            DeepLogSettings s =
                    new DeepLogSettings(
                            10, shape[0], shape[1], 9, 1, 256, 0.01, 1, true, 3, 0.001, true);
            int events = 29;
            DeepLogNetwork net = DeepLogNetwork.create(s, events, 1);
            Windows w = randomWindows(60, 25, events, shape[1]);
            net.fitEpoch(
                    DistinctWindows.of(w, s.classes(events)),
                    new Random(1)); // trained weights, not only the initial ones
            LstmWeights weights = net.weights();
            double scalar = worstDifference(net, LstmForward.scalar(weights), w);
            assertTrue(
                    scalar < 1e-5, "scalar " + scalar + " for " + java.util.Arrays.toString(shape));
            List<LstmForward> every = LstmForward.every(weights);
            assertTrue(
                    every.get(0).kind().startsWith("vector") && every.size() == 3,
                    "the tests run with the Vector API and both of its kernels: " + every);
            for (LstmForward f : every) {
                double d = worstDifference(net, f, w);
                assertTrue(
                        d < 1e-5, f.kind() + " " + d + " for " + java.util.Arrays.toString(shape));
            }
        }
    }

    @Test
    void aWindowGetsTheSameLogitsAloneAsInABlock() {
        // 24 and 48 hidden units leave four vectors of gates after the lone window's chunks of
        // eight (with 8-float vectors and with 16-float ones): that tail is checked too.
        for (int hidden : new int[] {64, 24, 48}) {
            sameAloneAsInABlock(hidden);
        }
    }

    private static void sameAloneAsInABlock(int hidden) {
        DeepLogSettings s =
                new DeepLogSettings(10, 2, hidden, 9, 1, 256, 0.01, 1, true, 3, 0.001, true);
        LstmWeights weights = DeepLogNetwork.create(s, 20, 1).weights();
        Windows w = randomWindows(3, 12, 20, 5);
        int n = w.count;
        float[] first = null;
        for (LstmForward f : LstmForward.every(weights)) {
            float[] all = new float[n * weights.classes()];
            f.logits(w.inputs, 0, n, 10, all);
            for (int i = 0; i < n; i++) {
                float[] one = new float[weights.classes()];
                f.logits(w.inputs, i * 10, 1, 10, one);
                for (int c = 0; c < one.length; c++) {
                    // Exactly: a window's answer must not depend on the windows it came with.
                    assertEquals(
                            all[i * weights.classes() + c],
                            one[c],
                            0f,
                            f.kind() + " hidden " + hidden + " window " + i);
                }
            }
            if (first == null) {
                first = all;
            } else {
                // Nor on the pass: both vector kernels and the scalar pass compute every element
                // in the same operations and order.
                assertArrayEquals(first, all, f.kind() + " hidden " + hidden);
            }
        }
    }

    @Test
    void windowsStartingWithAnyAmountOfPaddingGetTheScalarPassBits() {
        DeepLogSettings s =
                new DeepLogSettings(10, 2, 64, 9, 1, 256, 0.01, 1, true, 3, 0.001, true);
        int events = 20;
        LstmWeights weights = DeepLogNetwork.create(s, events, 1).weights();
        // Windows with 0..10 leading padding ids, shuffled, 47 of them: blocks mix amounts, and the
        // last block (of four or six, by kernel) is short.
        java.util.Random r = new java.util.Random(3);
        int n = 4 * 11 + 3;
        int[] inputs = new int[n * 10];
        for (int i = 0; i < n; i++) {
            int lead = r.nextInt(11);
            for (int k = 0; k < 10; k++) {
                inputs[i * 10 + k] = k < lead ? events : r.nextInt(events);
            }
        }
        float[] scalar = new float[n * weights.classes()];
        LstmForward.scalar(weights).logits(inputs, 0, n, 10, scalar);
        List<LstmForward> every = LstmForward.every(weights);
        assertTrue(every.get(0).kind().startsWith("vector"), every.get(0).kind());
        for (LstmForward f : every.subList(0, every.size() - 1)) {
            float[] vector = new float[n * weights.classes()];
            f.logits(inputs, 0, n, 10, vector);
            assertArrayEquals(scalar, vector, f.kind() + ": the scalar pass's bits");
            for (int i = 0; i < n; i++) { // and each on its own: bit for bit what its block gave
                float[] one = new float[weights.classes()];
                f.logits(inputs, i * 10, 1, 10, one);
                for (int c = 0; c < one.length; c++) {
                    assertEquals(
                            vector[i * weights.classes() + c],
                            one[c],
                            0f,
                            f.kind() + " window " + i);
                }
            }
        }
    }
}
