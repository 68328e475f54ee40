package dev.byoe.ensemble.anomaly;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
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
    void quantileIsTheShareOfNormalScoresBelow() {
        Calibration c = Calibration.quantile(new double[] {0, 0, 1, 2, 2, 2, 3, 9});
        assertEquals(0, c.probability(-1));
        assertEquals(0, c.probability(0), "the score most normal sessions share is not unusual");
        assertEquals(2.0 / 9, c.probability(0.5));
        assertEquals(3.0 / 9, c.probability(2));
        assertEquals(7.0 / 9, c.probability(9), "the largest normal score stays below 1");
        assertEquals(1, c.probability(9.5));
    }

    @Test
    void thresholdsAndSplits() {
        double[] p = {0.1, 0.2, 0.3, 0.8, 0.9};
        int[] y = {0, 0, 1, 1, 1};
        double t = LogEnsembleTrainer.bestF1Threshold(p, y);
        assertTrue(t > 0.2 && t < 0.3, "between the last normal and the first anomaly: " + t);
        assertEquals(
                0.9, LogEnsembleTrainer.quantileThreshold(new double[] {0.5, 0.9, 0.1, 0.7}, 1.0));
        int[] labels = new int[100];
        Arrays.fill(labels, 80, 100, 1);
        Arrays.fill(labels, 0, 10, -1);
        int[][] parts = LogEnsembleTrainer.stratifiedSplit(labels, 0.25, 3);
        assertEquals(100, parts[0].length + parts[1].length);
        assertEquals(5, Arrays.stream(parts[1]).filter(i -> labels[i] == 1).count());
        assertEquals(18, Arrays.stream(parts[1]).filter(i -> labels[i] == 0).count());
        assertEquals(
                0,
                Arrays.stream(parts[1]).filter(i -> labels[i] == -1).count(),
                "unlabelled sessions stay for training");
    }
}
