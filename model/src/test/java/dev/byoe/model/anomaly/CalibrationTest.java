package dev.byoe.model.anomaly;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class CalibrationTest {
    @Test
    void isotonicPoolsViolatorsIntoANonDecreasingStepFunction() {
        double[] scores = {1, 2, 3, 4, 5, 6};
        int[] labels = {0, 1, 0, 0, 1, 1};
        Calibration c = Calibration.isotonic(scores, labels);
        // {1}: 0/1; {2,3,4} pooled: 1/3; {5,6}: 2/2 -> smoothed (a+1)/(n+2).
        assertArrayEquals(new double[] {1, 4, 6}, c.upperScores());
        assertArrayEquals(new double[] {1.0 / 3, 2.0 / 5, 3.0 / 4}, c.probabilities(), 1e-12);
        assertEquals(1.0 / 3, c.probability(-10), 1e-12);
        assertEquals(2.0 / 5, c.probability(2.5), 1e-12);
        assertEquals(3.0 / 4, c.probability(100), 1e-12);
        for (int i = 1; i < c.probabilities().length; i++) {
            assertTrue(c.probabilities()[i] > c.probabilities()[i - 1]);
        }
    }

    @Test
    void betweenTwoStepsTheProbabilityRunsLinearlyFromOneToTheNext() {
        // A supervised member on held-out sessions: normals score at most 0.05, anomalies from
        // 0.9. Nothing held out scored in between, so a test session's 0.15 is not known to be
        // anomalous: it is an eighth of the way (0.10 of 0.85) from one step to the other.
        double[] scores = {0.01, 0.02, 0.05, 0.9, 0.95, 0.99};
        int[] labels = {0, 0, 0, 1, 1, 1};
        Calibration c = Calibration.isotonic(scores, labels);
        assertArrayEquals(new double[] {0.01, 0.9}, c.lowerScores());
        assertArrayEquals(new double[] {0.05, 0.99}, c.upperScores());
        assertEquals(1.0 / 5, c.probability(0.03), 1e-12, "inside a step: its rate");
        assertEquals(4.0 / 5, c.probability(0.92), 1e-12, "inside a step: its rate");
        assertEquals(1.0 / 5 + (0.15 - 0.05) / 0.85 * 3.0 / 5, c.probability(0.15), 1e-12);
        assertTrue(c.probability(0.15) < 0.5, "nearer the normal step than the anomalous one");
        assertEquals(0.5, c.probability(0.475), 1e-12, "half way between the steps");
        assertEquals(1.0 / 5, c.probability(-1), 1e-12, "below every step: the lowest");
        assertEquals(4.0 / 5, c.probability(2), 1e-12, "above every step: the highest");
    }

    @Test
    void smoothingNeverMakesAHigherScoreLessAnomalous() {
        // Five normals at 0; 99 anomalies and one normal at 1; one anomaly at 2. The steps' rates
        // rise (0, 0.99, 1), but smoothed the last (2/3) would fall below the middle (100/102).
        double[] scores = new double[106];
        int[] labels = new int[106];
        for (int i = 5; i < 105; i++) {
            scores[i] = 1;
            labels[i] = i < 104 ? 1 : 0;
        }
        scores[105] = 2;
        labels[105] = 1;
        Calibration c = Calibration.isotonic(scores, labels);
        assertArrayEquals(new double[] {0, 1, 2}, c.upperScores());
        assertEquals(1.0 / 7, c.probability(0), 1e-12);
        assertEquals(100.0 / 102, c.probability(1), 1e-12);
        assertEquals(100.0 / 102, c.probability(2), 1e-12);
    }

    @Test
    void aCalibrationSavedWithoutLowerScoresKeepsItsPlainSteps() throws Exception {
        Calibration c =
                dev.byoe.core.Json.MAPPER.readValue(
                        "{\"method\":\"isotonic\",\"upperScores\":[0.05,0.99],"
                                + "\"probabilities\":[0.2,0.8]}",
                        Calibration.class);
        assertEquals(0.8, c.probability(0.15), 1e-12);
        assertEquals(0.2, c.probability(0.05), 1e-12);
        Calibration again =
                dev.byoe.core.Json.MAPPER.readValue(
                        dev.byoe.core.Json.MAPPER.writeValueAsString(
                                Calibration.isotonic(new double[] {0, 1}, new int[] {0, 1})),
                        Calibration.class);
        assertArrayEquals(new double[] {0, 1}, again.lowerScores(), "saved and read back");
        assertEquals(0.5, again.probability(0.5), 1e-12);
    }

    @Test
    void aBlockOfEqualScoresIsWeighedWholeBeforeItIsPooled() {
        // DeepLog's miss counts: most anomalies score 1, normals 0. The first session scoring 1
        // is normal; it must not drag the whole block of ones into the zeros.
        double[] scores = {0, 0, 0, 1, 1, 1, 1};
        int[] labels = {0, 0, 0, 0, 1, 1, 1};
        Calibration c = Calibration.isotonic(scores, labels);
        assertArrayEquals(new double[] {0, 1}, c.upperScores());
        assertEquals(1.0 / 5, c.probability(0), 1e-12);
        assertEquals(4.0 / 6, c.probability(1), 1e-12);
    }

    @Test
    void quantileIsTheShareOfNormalScoresBelow() {
        Calibration c = Calibration.quantile(new double[] {0, 0, 1, 2, 2, 2, 3, 9});
        assertEquals(0, c.probability(-1));
        assertEquals(0, c.probability(0), "the score most normal sessions share is not unusual");
        assertEquals(2.0 / 9, c.probability(0.5));
        assertEquals(3.0 / 9, c.probability(2));
        assertEquals(7.0 / 9, c.probability(9), "the largest normal score stays below 1");
        assertEquals(1, c.probability(9.5));
    }
}
