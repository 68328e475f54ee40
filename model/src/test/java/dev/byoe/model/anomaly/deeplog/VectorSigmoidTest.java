package dev.byoe.model.anomaly.deeplog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The forward pass's sigmoid (and the exponential it shares with tanh): accurate, and the same bits
 * whatever the JIT has done so far.
 */
class VectorSigmoidTest {
    private static float[] sigmoid(float[] x) {
        float[] out = x.clone();
        VectorLstmForward.sigmoidInPlace(out, 0, out.length);
        return out;
    }

    @Test
    void givesTheSameBitsOnEveryCallInterpretedOrCompiled() {
        Random random = new Random(1);
        float[] x = new float[1024];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (random.nextGaussian() * 8);
        }
        float[] expected = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            expected[i] = Activations.sigmoid(x[i]); // the same operations, one float at a time
        }
        // Enough calls for C2 to compile the loop. With the library's exponential the first,
        // interpreted call already differed (by an ulp in ~4% of lanes, against its compiled
        // code too).
        for (int call = 0; call < 20_000; call++) {
            float[] y = sigmoid(x);
            if (call % 1000 == 0 || call == 19_999) {
                for (int i = 0; i < x.length; i++) {
                    assertEquals(
                            Float.floatToRawIntBits(expected[i]),
                            Float.floatToRawIntBits(y[i]),
                            "sigmoid(" + x[i] + ") on call " + call);
                }
            }
        }
    }

    @Test
    void theScalarSigmoidAndTanhGiveTheVectorLanesBits() {
        int n = 64 * 1024;
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = -100f + 200f * i / n;
        }
        x[0] = Float.NEGATIVE_INFINITY;
        x[1] = Float.POSITIVE_INFINITY;
        x[2] = -0f;
        x[3] = Float.MIN_VALUE;
        float[] sigmoid = x.clone();
        VectorLstmForward.sigmoidInPlace(sigmoid, 0, n);
        float[] tanh = x.clone();
        VectorLstmForward.tanhInPlace(tanh, 0, n);
        for (int i = 0; i < n; i++) {
            assertEquals(
                    Float.floatToRawIntBits(sigmoid[i]),
                    Float.floatToRawIntBits(Activations.sigmoid(x[i])),
                    "sigmoid(" + x[i] + ")");
            assertEquals(
                    Float.floatToRawIntBits(tanh[i]),
                    Float.floatToRawIntBits(Activations.tanh(x[i])),
                    "tanh(" + x[i] + ")");
        }
    }

    @Test
    void staysWithinTwoTenMillionthsOfTheExactSigmoid() {
        int n = 64 * 1024;
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = -90f + 180f * i / n;
        }
        float[] y = sigmoid(x);
        double worst = 0;
        for (int i = 0; i < n; i++) {
            worst = Math.max(worst, Math.abs(y[i] - 1 / (1 + Math.exp(-x[i]))));
        }
        assertTrue(worst <= 2e-7, "worst difference " + worst);
    }

    @Test
    void reachesOneAndNearlyZeroAtTheEndsAndKeepsNaN() {
        int n = VectorLstmForward.S.length();
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = i % 2 == 0 ? Float.NEGATIVE_INFINITY : Float.POSITIVE_INFINITY;
        }
        float[] y = sigmoid(x);
        for (int i = 0; i < n; i++) {
            if (i % 2 == 0) {
                assertTrue(y[i] > 0 && y[i] < 1e-37f, "sigmoid(-inf) = 1 / (1 + e^88): " + y[i]);
            } else {
                assertEquals(1f, y[i], 0f, "sigmoid(+inf)");
            }
        }
        float[] nan = new float[n];
        java.util.Arrays.fill(nan, Float.NaN);
        assertTrue(Float.isNaN(sigmoid(nan)[0]), "NaN in, NaN out");
    }
}
