package dev.byoe.model.anomaly.pca;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The squared prediction error of a session inside the kept subspace is zero, not the rounding of
 * subtracting its projection (with every direction kept, as a tuning job's {@code max_components}
 * can ask, that rounding was all a score held, and calibration took it for an anomaly).
 */
class PcaDetectorRoundingTest {
    private static final double HALF = Math.sqrt(0.5);

    private static PcaDetector detector(double[][] components) {
        return new PcaDetector(
                new PcaSettings(components.length, 0.95, true, true, 3.2905, 0),
                new double[] {0.7, 1.3},
                new double[] {0.3, 0.11},
                components,
                new double[] {2, 1},
                0,
                10);
    }

    @Test
    void aSessionInTheKeptSubspaceHasNoResidual() {
        // Every direction kept: (1.8, -0.11) minus its projection rounds to 2.2e-16 in doubles.
        PcaDetector full = detector(new double[][] {{HALF, HALF}, {HALF, -HALF}});
        assertEquals(0.0, full.spe(new int[] {0, 0, 0}));
    }

    @Test
    void aRealResidualStays() {
        PcaDetector one = detector(new double[][] {{HALF, HALF}});
        // (1.8, -0.11): its distance from the diagonal squared is (1.8 + 0.11)^2 / 2.
        assertEquals(Math.pow(1.91, 2) / 2, one.spe(new int[] {0, 0, 0}), 1e-12);
        assertTrue(one.spe(new int[] {1}) > 0);
    }
}
