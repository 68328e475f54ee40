package dev.byoe.serve.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class MemoryBudgetTest {
    @Test
    void anExplicitSizeInMegabytesWins() {
        MemoryBudget b =
                MemoryBudget.fromEnvironment(
                        Map.of("BYOE_MODEL_MEMORY_MB", "2.5", "BYOE_MODEL_MEMORY_PERCENT", "90"));
        assertEquals((long) (2.5 * 1024 * 1024), b.bytes());
        assertEquals(Runtime.getRuntime().maxMemory() / 2, b.heapBytes());
    }

    @Test
    void theDefaultIsAShareOfTheContainer() {
        MemoryBudget forty = MemoryBudget.fromEnvironment(Map.of());
        MemoryBudget eighty =
                MemoryBudget.fromEnvironment(Map.of("BYOE_MODEL_MEMORY_PERCENT", "80"));
        assertTrue(forty.bytes() > 0);
        assertEquals(2 * forty.bytes(), eighty.bytes(), 2.0);
        assertTrue(forty.source().startsWith("40% of the container's"), forty.source());
    }

    @Test
    void badValuesAreRefusedNamingTheSetting() {
        for (var env :
                java.util.List.of(
                        Map.of("BYOE_MODEL_MEMORY_MB", "lots"),
                        Map.of("BYOE_MODEL_MEMORY_MB", "0"),
                        Map.of("BYOE_MODEL_MEMORY_PERCENT", "120"))) {
            IllegalArgumentException e =
                    assertThrows(
                            IllegalArgumentException.class,
                            () -> MemoryBudget.fromEnvironment(env));
            assertTrue(e.getMessage().startsWith(env.keySet().iterator().next()), e.getMessage());
        }
    }
}
