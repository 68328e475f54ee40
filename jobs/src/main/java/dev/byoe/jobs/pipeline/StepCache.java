package dev.byoe.jobs.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.byoe.core.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;

/**
 * Step caching ({@code CacheConfig}): a step that succeeded is remembered under a hash of its type
 * and resolved arguments in {@code <root>/cache/}; a later step with the same hash whose entry has
 * not expired ({@code ExpireAfter}) takes that run's properties instead of running, as SageMaker
 * reuses a previous execution's step.
 */
final class StepCache {
    private StepCache() {}

    static JsonNode find(Path root, String key, Step.Cache cache) throws IOException {
        Path file = root.resolve("cache").resolve(key + ".json");
        if (!Files.exists(file)) {
            return null;
        }
        JsonNode entry = Json.MAPPER.readTree(file.toFile());
        Instant time = Instant.parse(entry.path("Time").asText());
        if (cache.expireAfter() != null && time.plus(cache.expireAfter()).isBefore(Instant.now())) {
            return null;
        }
        return entry;
    }

    static void store(
            Path root,
            String key,
            String executionArn,
            JsonNode properties,
            ObjectNode record,
            String step)
            throws IOException {
        ObjectNode entry = Json.MAPPER.createObjectNode();
        entry.put("Time", Instant.now().toString());
        entry.put("ExecutionArn", executionArn);
        entry.put("StepName", step);
        entry.set("Properties", properties);
        for (JsonNode s : record.path("PipelineExecutionSteps")) {
            if (s.path("StepName").asText().equals(step)) {
                entry.set("Metadata", s.path("Metadata"));
            }
        }
        Path dir = Files.createDirectories(root.resolve("cache"));
        Path tmp = dir.resolve(key + ".tmp");
        Json.INDENTED.writeValue(tmp.toFile(), entry);
        Files.move(
                tmp,
                dir.resolve(key + ".json"),
                StandardCopyOption.REPLACE_EXISTING,
                StandardCopyOption.ATOMIC_MOVE);
    }
}
