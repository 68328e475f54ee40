package dev.byoe.training.anomaly;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class LogEnsembleTrainerTest {
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
