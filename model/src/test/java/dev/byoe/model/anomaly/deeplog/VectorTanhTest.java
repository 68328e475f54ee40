package dev.byoe.model.anomaly.deeplog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The forward pass's tanh, taken from the exponential, against {@link Math#tanh}. */
class VectorTanhTest {
    private static float[] tanh(float[] x) {
        float[] out = x.clone();
        VectorLstmForward.tanhInPlace(out, 0, out.length);
        return out;
    }

    @Test
    void staysWithinTwoTenMillionthsOfTheLibraryAcrossTheRangeAnLstmSees() {
        int n = 64 * 1024;
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = -12f + 24f * i / n; // steps of ~3.7e-4 through zero and both saturated ends
        }
        float[] y = tanh(x);
        double worst = 0;
        for (int i = 0; i < n; i++) {
            worst = Math.max(worst, Math.abs(y[i] - Math.tanh(x[i])));
        }
        assertTrue(worst <= 2e-7, "worst difference " + worst);
    }

    @Test
    void saturatesAtTheEndsAndKeepsNaN() {
        int n = VectorLstmForward.S.length();
        float[] x = new float[n];
        float[] edges = {
            Float.NEGATIVE_INFINITY, -1e30f, -100f, 0f, -0f, 100f, 1e30f, Float.POSITIVE_INFINITY
        };
        for (int i = 0; i < n; i++) {
            x[i] = edges[i % edges.length];
        }
        float[] y = tanh(x);
        for (int i = 0; i < n; i++) {
            assertEquals(
                    Math.signum(x[i]) == 0 ? 0f : Math.signum(x[i]),
                    y[i],
                    0f,
                    "tanh(" + x[i] + ")");
        }
        float[] nan = new float[n];
        java.util.Arrays.fill(nan, Float.NaN);
        assertTrue(Float.isNaN(tanh(nan)[0]), "NaN in, NaN out");
    }
}
