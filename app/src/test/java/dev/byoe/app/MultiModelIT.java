package dev.byoe.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The multi-model scenarios against the jar ({@code serve} with SAGEMAKER_MULTI_MODEL=true). */
class MultiModelIT extends MultiModelScenarios {
    @TempDir Path home;

    @Override
    Server startMultiModel(Map<String, String> env) throws Exception {
        Map<String, String> all = new HashMap<>(env);
        all.put("SAGEMAKER_MULTI_MODEL", "true");
        return jar(Served.start(home, all));
    }

    @Override
    Server startSingle(Path model) throws Exception {
        return jar(Served.start(home, Map.of("BYOE_MODEL_DIR", model.toString())));
    }

    @Override
    String url(Path model) {
        return model.toString();
    }

    private static Server jar(Served served) {
        return new Server() {
            @Override
            public int port() {
                return served.port;
            }

            @Override
            public String log() throws Exception {
                return served.log();
            }

            @Override
            public void close() throws Exception {
                served.close();
            }
        };
    }

    @Test
    void dataCaptureNamesTheModelAndTheCallersTargetModel(@TempDir Path capture) throws Exception {
        try (Server mme = startMultiModel(Map.of("BYOE_DATA_CAPTURE_DIR", capture.toString()))) {
            assertEquals(200, load(mme, "m-1", models.resolve("diabetes")).statusCode());
            HttpResponse<String> r =
                    http.send(
                            HttpRequest.newBuilder(
                                            java.net.URI.create(
                                                    "http://127.0.0.1:"
                                                            + mme.port()
                                                            + "/models/m-1/invoke"))
                                    .header("Content-Type", "text/csv")
                                    .header(
                                            "X-Amzn-SageMaker-Target-Model",
                                            "customers/acme/model.tar.gz")
                                    .POST(HttpRequest.BodyPublishers.ofString(DIABETES_ROW))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode(), r.body());
        }
        List<JsonNode> lines = new ArrayList<>();
        try (Stream<Path> files = Files.walk(capture)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                for (String line : Files.readAllLines(f)) {
                    lines.add(JSON.readTree(line));
                }
            }
        }
        assertEquals(1, lines.size(), lines.toString());
        JsonNode meta = lines.get(0).path("eventMetadata");
        assertEquals("m-1", meta.path("modelName").asText());
        assertEquals("customers/acme/model.tar.gz", meta.path("targetModel").asText());
        assertEquals(
                DIABETES_ROW,
                lines.get(0).path("captureData").path("endpointInput").path("data").asText());
        assertTrue(
                lines.get(0)
                        .path("captureData")
                        .path("endpointOutput")
                        .path("data")
                        .asText()
                        .matches("[0-9.]+\\s*"));
    }
}
