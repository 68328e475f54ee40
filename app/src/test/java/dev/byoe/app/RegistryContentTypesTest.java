package dev.byoe.app;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.byoe.jobs.registry.RegistryCommand;
import dev.byoe.serve.codec.Format;
import dev.byoe.serve.codec.Formats;
import org.junit.jupiter.api.Test;

/** The registry's default content types are what the server reads and writes, no more, no less. */
class RegistryContentTypesTest {
    @Test
    void theRegistryDefaultsAreTheServersFormats() {
        assertEquals(
                Formats.all().stream().map(Format::mediaType).toList(),
                RegistryCommand.CONTENT_TYPES);
        assertEquals(
                Formats.all().stream()
                        .filter(f -> f.answerFormat() == f)
                        .map(Format::mediaType)
                        .toList(),
                RegistryCommand.RESPONSE_TYPES);
    }
}
