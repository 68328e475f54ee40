package dev.byoe.model.anomaly.deeplog;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The scalar pass answers until the vector pass is compiled; nothing answered changes. */
class WarmingLstmForwardTest {
    private static final int EVENTS = 28;
    private static final int WINDOW = 10;

    private static LstmWeights weights(int hidden) {
        Random r = new Random(hidden);
        int gates = 4 * hidden;
        int inputs = EVENTS + 1;
        int classes = EVENTS + 1;
        float[][] input = {gaussian(r, inputs * gates), gaussian(r, hidden * gates)};
        float[][] recurrent = {gaussian(r, hidden * gates), gaussian(r, hidden * gates)};
        float[][] bias = {gaussian(r, gates), gaussian(r, gates)};
        return new LstmWeights(
                hidden,
                inputs,
                classes,
                input,
                recurrent,
                bias,
                gaussian(r, hidden * classes),
                gaussian(r, classes));
    }

    private static float[] gaussian(Random r, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) (r.nextGaussian() * 0.3);
        }
        return a;
    }

    private static int[] windows(int n) {
        return new Random(7).ints((long) n * WINDOW, 0, EVENTS + 1).toArray();
    }

    private static float[] logits(LstmForward f, int[] inputs, int classes) {
        int n = inputs.length / WINDOW;
        float[] out = new float[n * classes];
        f.logits(inputs, 0, n, WINDOW, out);
        return out;
    }

    @Test
    void answersWithTheScalarPassThenHandsOverToTheVectorPassWithTheSameBits() throws Exception {
        LstmWeights w = weights(64);
        LstmForward served = LstmForward.of(w);
        assertTrue(served.kind().startsWith("scalar until"), served.kind());
        int[] inputs = windows(40);
        float[] expected = logits(LstmForward.scalar(w), inputs, w.classes());
        assertArrayEquals(expected, logits(served, inputs, w.classes()), "first call");
        LstmForward settled = served.settled(Duration.ofSeconds(120));
        assertTrue(settled.kind().startsWith("vector"), "handed over to " + settled.kind());
        assertTrue(served.kind().startsWith("vector"), served.kind());
        assertArrayEquals(expected, logits(served, inputs, w.classes()), "after the hand-over");
    }

    @Test
    void keepsTheScalarPassWhenTheVectorPassGivesOtherBits() throws Exception {
        LstmWeights w = weights(32);
        LstmForward scalar = LstmForward.scalar(w);
        LstmForward vector = LstmForward.every(w).get(0);
        assertTrue(vector.kind().startsWith("vector"), vector.kind());
        LstmForward offByAnUlp =
                new LstmForward(w) {
                    @Override
                    public String kind() {
                        return vector.kind();
                    }

                    @Override
                    public void logits(int[] inputs, int offset, int n, int window, float[] out) {
                        vector.logits(inputs, offset, n, window, out);
                        out[n * w.classes() - 1] = Math.nextUp(out[n * w.classes() - 1]);
                    }
                };
        LstmForward served = new WarmingLstmForward(scalar, () -> offByAnUlp);
        int[] inputs = windows(3);
        logits(served, inputs, w.classes());
        assertSame(scalar, served.settled(Duration.ofSeconds(120)));
        assertTrue(served.kind().equals("scalar"), served.kind());
    }

    @Test
    void keepsTheScalarPassWithoutTheVectorApi() throws Exception {
        LstmWeights w = weights(16);
        LstmForward scalar = LstmForward.scalar(w);
        LstmForward served = new WarmingLstmForward(scalar, () -> null);
        assertSame(scalar, served.settled(Duration.ZERO), "nothing starts before the first call");
        int[] inputs = windows(2);
        assertArrayEquals(logits(scalar, inputs, w.classes()), logits(served, inputs, w.classes()));
        assertSame(scalar, served.settled(Duration.ofSeconds(60)));
        assertTrue(served.kind().equals("scalar"), served.kind());
    }
}
