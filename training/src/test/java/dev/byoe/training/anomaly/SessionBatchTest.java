package dev.byoe.training.anomaly;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.byoe.model.anomaly.SessionBatch;
import java.util.List;
import org.junit.jupiter.api.Test;

class SessionBatchTest {
    @Test
    void parsesEventTokensInBothSpellings() {
        assertArrayEquals(new int[] {5, 22, 5, 0}, SessionBatch.parseSequence(" E5 22\te5  E0 "));
        assertArrayEquals(new int[0], SessionBatch.parseSequence("  "));
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class, () -> SessionBatch.parseSequence("E5 E2x"));
        assertTrue(e.getMessage().contains("'E2x'"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> SessionBatch.parseEvent("E"));
        assertThrows(IllegalArgumentException.class, () -> SessionBatch.parseEvent("E12345678901"));
        assertThrows(IllegalArgumentException.class, () -> SessionBatch.parseEvent("-3"));
    }

    @Test
    void countsFoldUnknownIdsIntoEventZero() {
        SessionBatch b = new SessionBatch(List.of("a"), new int[][] {{1, 1, 2, 9}});
        assertArrayEquals(new double[] {1, 2, 1}, b.counts(3)[0]);
        assertEquals(10, b.eventSpan());
    }

    @Test
    void metricsSkipUnlabelledSessions() {
        DetectionMetrics m =
                DetectionMetrics.of(new int[] {1, 1, 0, 0, 1}, new int[] {1, 0, 1, 0, -1});
        assertEquals(0.5, m.precision());
        assertEquals(0.5, m.recall());
        assertEquals(0.5, m.f1());
        assertEquals(0, DetectionMetrics.of(new int[] {0}, new int[] {1}).f1());
    }
}
