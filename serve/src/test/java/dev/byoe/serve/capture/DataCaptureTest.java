package dev.byoe.serve.capture;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataCaptureTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    static List<JsonNode> lines(Path folder) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        try (Stream<Path> s = Files.walk(folder)) {
            for (Path f : s.filter(p -> p.toString().endsWith(".jsonl")).sorted().toList()) {
                for (String line : Files.readAllLines(f)) {
                    out.add(JSON.readTree(line));
                }
            }
        }
        return out;
    }

    @Test
    void textBodiesStayTextAndOthersBecomeBase64(@TempDir Path dir) throws Exception {
        byte[] binary = {(byte) 0xff, 0, 1, (byte) 0xfe};
        byte[] badUtf8 = {'1', ',', (byte) 0xc3};
        try (DataCapture capture = DataCapture.start(new CaptureSettings(dir, 100, 100))) {
            capture.record(
                    "text/csv; charset=utf-8",
                    "1,2\n".getBytes(StandardCharsets.UTF_8),
                    "text/csv",
                    "0.5\n".getBytes(StandardCharsets.UTF_8));
            capture.record(
                    "application/x-npy",
                    binary,
                    "application/json",
                    "{\"a\":1}".getBytes(StandardCharsets.UTF_8));
            capture.record("text/csv", badUtf8, "text/csv", new byte[0]);
        }
        List<JsonNode> events = lines(dir);
        assertEquals(3, events.size());
        JsonNode csv = events.get(0).at("/captureData/endpointInput");
        assertEquals("CSV", csv.get("encoding").asText());
        assertEquals("1,2\n", csv.get("data").asText());
        assertEquals("text/csv; charset=utf-8", csv.get("observedContentType").asText());
        JsonNode npy = events.get(1).at("/captureData");
        assertEquals("BASE64", npy.at("/endpointInput/encoding").asText());
        assertArrayEquals(
                binary, Base64.getDecoder().decode(npy.at("/endpointInput/data").asText()));
        assertEquals("JSON", npy.at("/endpointOutput/encoding").asText());
        assertEquals(
                "BASE64",
                events.get(2).at("/captureData/endpointInput/encoding").asText(),
                "CSV that is not UTF-8 is kept exactly");
        assertArrayEquals(
                badUtf8,
                Base64.getDecoder()
                        .decode(events.get(2).at("/captureData/endpointInput/data").asText()));
    }

    @Test
    void aFullQueueDropsAndCountsInsteadOfWaiting(@TempDir Path dir) throws Exception {
        int offered = 50_000;
        DataCapture capture = DataCapture.start(new CaptureSettings(dir, 100, 1));
        byte[] body = "1,2,3\n".getBytes(StandardCharsets.UTF_8);
        long start = System.nanoTime();
        for (int i = 0; i < offered; i++) {
            capture.record("text/csv", body, "text/csv", body);
        }
        long millis = (System.nanoTime() - start) / 1_000_000;
        capture.close();
        assertTrue(capture.dropped() > 0, "a queue of one cannot keep every event");
        assertEquals(
                offered,
                capture.written() + capture.dropped(),
                "each event is written or counted as dropped");
        assertEquals(capture.written(), lines(dir).size());
        assertTrue(millis < 5_000, "offering never waits for the disk: " + millis + " ms");
    }

    @Test
    void samplesThePercentageAsked(@TempDir Path dir) throws Exception {
        DataCapture capture = DataCapture.start(new CaptureSettings(dir, 10, 100_000));
        for (int i = 0; i < 10_000; i++) {
            capture.record("text/csv", new byte[] {'1'}, "text/csv", new byte[] {'2'});
        }
        capture.close();
        // Binomial(10000, 0.1): mean 1000, standard deviation 30.
        assertTrue(
                capture.written() > 850 && capture.written() < 1150,
                "written " + capture.written());
        assertEquals(0, capture.dropped());
    }

    @Test
    void settingsComeFromTheEnvironment() {
        assertSame(DataCapture.OFF, DataCapture.start(CaptureSettings.fromEnvironment(Map.of())));
        CaptureSettings s =
                CaptureSettings.fromEnvironment(
                        Map.of(
                                "BYOE_DATA_CAPTURE_DIR",
                                "/tmp/c",
                                "BYOE_DATA_CAPTURE_PERCENT",
                                "25"));
        assertEquals(Path.of("/tmp/c"), s.folder());
        assertEquals(25, s.percent());
        assertEquals(10_000, s.queue());
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () ->
                                CaptureSettings.fromEnvironment(
                                        Map.of("BYOE_DATA_CAPTURE_PERCENT", "150")));
        assertEquals("BYOE_DATA_CAPTURE_PERCENT=150 must be a number in [0, 100]", e.getMessage());
    }
}
