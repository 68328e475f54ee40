package dev.byoe.core;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The answers that need no second JVM. Loading a module the JVM did not start with is checked end
 * to end where it happens, through {@code java -jar} (HttpConformanceIT, the image's checks).
 */
class JdkModulesTest {
    @Test
    void aModuleOfTheBootLayerIsPresent() {
        assertTrue(JdkModules.ensure("java.sql"));
    }

    @Test
    void aModuleThatCannotBeLoadedIsReportedAbsentNotThrown() {
        assertFalse(JdkModules.ensure("jdk.no.such.module"));
        assertFalse(JdkModules.ensure("jdk.no.such.module"), "and the answer is kept");
    }
}
