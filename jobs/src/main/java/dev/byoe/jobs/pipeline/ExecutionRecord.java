package dev.byoe.jobs.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.byoe.core.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.Map;

/**
 * {@code executions/<id>/execution.json}: DescribePipelineExecution's answer, with {@code
 * PipelineExecutionSteps} as ListPipelineExecutionSteps answers them (in the order they started)
 * and {@code PipelineParameters} as ListPipelineParametersForExecution does. Rewritten (atomically)
 * on every change, so {@code pipeline describe} shows a running execution as it is.
 */
public final class ExecutionRecord {
    public static final String FILE = "execution.json";

    private final Path file;
    private final ObjectNode record;

    ExecutionRecord(Path folder, String pipelineName, String id, Map<String, JsonNode> parameters) {
        this.file = folder.resolve(FILE);
        String now = Instant.now().toString();
        String pipelineArn = PipelineExecution.arn("pipeline/" + pipelineName);
        record = Json.MAPPER.createObjectNode();
        record.put("PipelineArn", pipelineArn);
        record.put("PipelineExecutionArn", pipelineArn + "/execution/" + id);
        record.put("PipelineExecutionDisplayName", "execution-" + id);
        record.put("PipelineExecutionStatus", "Executing");
        record.put("CreationTime", now);
        record.put("LastModifiedTime", now);
        record.putArray("PipelineExecutionSteps");
        ArrayNode params = record.putArray("PipelineParameters");
        parameters.forEach(
                (k, v) -> params.addObject().put("Name", k).put("Value", Expressions.text(v)));
    }

    public synchronized String arn() {
        return record.path("PipelineExecutionArn").asText();
    }

    synchronized void started(Step step) {
        ObjectNode s = steps().addObject();
        s.put("StepName", step.name());
        if (step.json().has("DisplayName")) {
            s.put("StepDisplayName", step.json().path("DisplayName").asText());
        }
        if (step.json().has("Description")) {
            s.put("StepDescription", step.json().path("Description").asText());
        }
        s.put("StartTime", Instant.now().toString());
        s.put("StepStatus", "Executing");
        s.put("AttemptCount", 1);
        s.putObject("Metadata");
        write();
    }

    synchronized void attempt(String step, int attempt) {
        find(step).put("AttemptCount", attempt);
        write();
    }

    synchronized void metadata(String step, String key, ObjectNode value) {
        ((ObjectNode) find(step).get("Metadata")).set(key, value);
        write();
    }

    synchronized void finished(String step, String status, String reason, String cacheSource) {
        ObjectNode s = find(step);
        s.put("EndTime", Instant.now().toString());
        s.put("StepStatus", status);
        if (reason != null) {
            s.put("FailureReason", reason);
        }
        if (cacheSource != null) {
            s.putObject("CacheHitResult").put("SourcePipelineExecutionArn", cacheSource);
        }
        write();
    }

    synchronized void status(String status, String reason) {
        record.put("PipelineExecutionStatus", status);
        if (reason != null) {
            record.put("FailureReason", reason);
        }
        write();
    }

    public synchronized String status() {
        return record.path("PipelineExecutionStatus").asText();
    }

    public synchronized String failureReason() {
        return record.path("FailureReason").asText(null);
    }

    /** The record as it is now (a copy). */
    public synchronized ObjectNode snapshot() {
        return record.deepCopy();
    }

    private ArrayNode steps() {
        return (ArrayNode) record.get("PipelineExecutionSteps");
    }

    private ObjectNode find(String step) {
        for (JsonNode s : steps()) {
            if (s.path("StepName").asText().equals(step)) {
                return (ObjectNode) s;
            }
        }
        throw new IllegalStateException("step " + step + " has not started");
    }

    private void write() {
        record.put("LastModifiedTime", Instant.now().toString());
        try {
            Files.createDirectories(file.getParent());
            Path tmp = file.resolveSibling(FILE + ".tmp");
            Json.INDENTED.writeValue(tmp.toFile(), record);
            Files.move(
                    tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
