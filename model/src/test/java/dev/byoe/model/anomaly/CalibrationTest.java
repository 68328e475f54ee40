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
