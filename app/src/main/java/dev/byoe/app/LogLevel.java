package dev.byoe.app;

import dev.byoe.core.EnvironmentAlias;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The log level, from {@code BYOE_LOG_LEVEL} or SageMaker's {@code SAGEMAKER_CONTAINER_LOG_LEVEL}
 * (the SageMaker Python SDK sets it to Python's number for a level, 20 for INFO, on training jobs
 * and models alike). It must be set before the first logger exists, so {@link Main} applies it
 * first. A {@code -Dorg.slf4j.simpleLogger.defaultLogLevel} on the command line is left as it is.
 */
final class LogLevel {
    static final String PROPERTY = "org.slf4j.simpleLogger.defaultLogLevel";
    static final String BYOE = "BYOE_LOG_LEVEL";
    static final String SAGEMAKER = "SAGEMAKER_CONTAINER_LOG_LEVEL";
    private static final EnvironmentAlias ALIAS = new EnvironmentAlias(BYOE, SAGEMAKER);

    private LogLevel() {}

    /** Sets the level; returns what to log once logging is up (conflicts, unreadable values). */
    static List<String> apply(Map<String, String> env) {
        List<String> notes = new ArrayList<>();
        // INFO and 20 are the same level: only a real difference is a conflict.
        EnvironmentAlias.Setting set =
                ALIAS.read(env, (a, b) -> Objects.equals(slf4j(a), slf4j(b)), notes::add);
        if (set != null && System.getProperty(PROPERTY) == null) {
            String level = slf4j(set.value());
            if (level == null) {
                notes.add(
                        set.name()
                                + "="
                                + set.value()
                                + " is not a level (DEBUG, INFO, WARNING, ERROR, or Python's 10-50); logging at INFO");
            } else {
                System.setProperty(PROPERTY, level);
            }
        }
        return notes;
    }

    /** SLF4J's name for a level given by name or by Python's number; null if it is neither. */
    static String slf4j(String value) {
        String v = value.strip().toUpperCase(Locale.ROOT);
        try {
            int n = Integer.parseInt(v);
            if (n < 0 || n > 50) {
                return null;
            }
            // Python's levels: DEBUG 10, INFO 20, WARNING 30, ERROR 40, CRITICAL 50. Level n lets
            // through what is at n or above, so 15 means INFO and up; SLF4J has nothing above
            // ERROR, so CRITICAL keeps errors.
            return n <= 10 ? "debug" : n <= 20 ? "info" : n <= 30 ? "warn" : "error";
        } catch (NumberFormatException notANumber) {
            return switch (v) {
                case "TRACE" -> "trace";
                case "DEBUG" -> "debug";
                case "INFO" -> "info";
                case "WARN", "WARNING" -> "warn";
                case "ERROR", "CRITICAL", "FATAL" -> "error";
                default -> null;
            };
        }
    }
}
