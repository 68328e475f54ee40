package dev.byoe.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class LogLevelTest {
    @AfterEach
    void clear() {
        System.clearProperty(LogLevel.PROPERTY);
    }

    @Test
    void pythonNumbersAndNamesMapToWhatTheyLetThrough() {
        assertEquals("debug", LogLevel.slf4j("10"));
        assertEquals("info", LogLevel.slf4j("20"));
        assertEquals("info", LogLevel.slf4j("15"), "15 lets INFO through, not DEBUG");
        assertEquals("warn", LogLevel.slf4j(" warning "));
        assertEquals("error", LogLevel.slf4j("50"));
        assertNull(LogLevel.slf4j("loud"));
        assertNull(LogLevel.slf4j("60"));
    }

    @Test
    void byoesNameWinsAndBadValuesAreSaid() {
        List<String> notes =
                LogLevel.apply(Map.of(LogLevel.BYOE, "ERROR", LogLevel.SAGEMAKER, "20"));
        assertEquals("error", System.getProperty(LogLevel.PROPERTY));
        assertEquals(
                List.of(
                        "BYOE_LOG_LEVEL=ERROR and SAGEMAKER_CONTAINER_LOG_LEVEL=20 are both set;"
                                + " BYOE_LOG_LEVEL wins"),
                notes);
        System.clearProperty(LogLevel.PROPERTY);
        assertEquals(
                List.of(),
                LogLevel.apply(Map.of(LogLevel.BYOE, "info", LogLevel.SAGEMAKER, "20")),
                "the same level by name and by number");
        System.clearProperty(LogLevel.PROPERTY);
        notes = LogLevel.apply(Map.of(LogLevel.SAGEMAKER, "loud"));
        assertNull(System.getProperty(LogLevel.PROPERTY));
        assertEquals(1, notes.size());
        assertEquals(true, notes.getFirst().contains("logging at INFO"), notes.toString());
    }
}
