package dev.byoe.bench.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The soak of {@code make soak} (10 minutes there), here for 20 seconds: 64 clients on loopback,
 * valid and hostile requests mixed; every valid request gets 200, every hostile one a 4xx, no
 * connection fails, and the server is healthy at the end.
 */
@Tag("slow")
class SoakIT {
    @Test
    void mixedValidAndHostileTrafficAtConcurrency64(@TempDir Path tmp) throws Exception {
        Path root = Path.of(System.getProperty("byoe.root", ".."));
        Map<String, Object> r =
                Soak.run(
                        new Soak.Settings(
                                20,
                                64,
                                root.resolve("serve/src/test/resources/models/adult"),
                                root.resolve("dist/byoe.jar"),
                                tmp.resolve("soak.json")));
        assertEquals(0L, r.get("server_errors_5xx"), r.toString());
        assertEquals(0L, r.get("wrong_answers"), r.toString());
        assertEquals(0L, r.get("transport_errors"), r.toString());
        assertEquals(true, r.get("healthy_at_end"), r.toString());
        assertTrue((Long) r.get("requests") > 1000, r.toString());
        @SuppressWarnings("unchecked")
        Map<String, Long> statuses = (Map<String, Long>) r.get("statuses");
        for (String refused :
                List.of(
                        "header row 400",
                        "invalid UTF-8 400",
                        "deep JSON 400",
                        "6 MiB + 1 byte 413",
                        "unsupported Content-Type 415")) {
            assertTrue(statuses.getOrDefault(refused, 0L) > 0, refused + " in " + statuses);
        }
    }
}
