package dev.byoe.training.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class FoldsTest {
    @Test
    void foldsPartitionTheRowsAndKeepClassBalance() {
        double[] labels = new double[103];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = i % 5 == 0 ? 1 : 0;
        }
        int[][] folds = Folds.heldOut(labels, true, 5, 42);
        int[] seen = new int[labels.length];
        for (int[] fold : folds) {
            long positives = Arrays.stream(fold).filter(i -> labels[i] == 1).count();
            assertTrue(positives == 4 || positives == 5, "positives per fold: " + positives);
            for (int i : fold) {
                seen[i]++;
            }
            assertEquals(labels.length - fold.length, Folds.complement(labels.length, fold).length);
        }
        assertTrue(Arrays.stream(seen).allMatch(c -> c == 1));
        assertArrayEquals(folds[2], Folds.heldOut(labels, true, 5, 42)[2], "same seed, same folds");
    }
}
