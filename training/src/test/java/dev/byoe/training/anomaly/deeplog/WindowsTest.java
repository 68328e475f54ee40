package dev.byoe.training.anomaly.deeplog;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.byoe.model.anomaly.SessionBatch;
import dev.byoe.model.anomaly.deeplog.Windows;
import java.util.List;
import org.junit.jupiter.api.Test;

class WindowsTest {
    @Test
    void everyEventAndTheEndArePredictedFromAPaddedWindow() {
        SessionBatch s = new SessionBatch(List.of("a"), new int[][] {{3, 4, 7}});
        Windows w = Windows.of(s, 3, 5, true); // 7 is beyond 5 events: unknown (0); padding is 5
        assertEquals(4, w.count);
        assertArrayEquals(new int[] {5, 5, 5, 5, 5, 3, 5, 3, 4, 3, 4, 0}, w.inputs);
        assertArrayEquals(new int[] {3, 4, 0, 5}, w.next); // 5 = end of session
        assertEquals(3, Windows.of(s, 3, 5, false).count);
    }

    @Test
    void distinctWindowsKeepTheObjective() {
        SessionBatch s =
                new SessionBatch(List.of("a", "b", "c"), new int[][] {{1, 2}, {1, 2}, {1, 3}});
        Windows w = Windows.of(s, 2, 4, true);
        DistinctWindows d = DistinctWindows.of(w, 5);
        // Windows: [pad,pad]->1 (x3), [pad,1]->2 (x2) or 3 (x1), [1,2]->end (x2), [1,3]->end (x1).
        assertEquals(4, d.count());
        assertEquals(9, d.total());
        assertArrayEquals(new float[] {3, 3, 2, 1}, d.weight());
        float[] row1 = java.util.Arrays.copyOfRange(d.nextDistribution(), 5, 10);
        assertArrayEquals(new float[] {0, 0, 2f / 3, 1f / 3, 0}, row1, 1e-6f);
    }
}
