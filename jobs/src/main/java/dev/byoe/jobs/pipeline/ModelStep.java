package dev.byoe.jobs.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.byoe.core.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * {@code Model} (the SDK's name) or {@code CreateModel}: a CreateModel request. The model is
 * recorded in {@code <root>/models/<ModelName>.json} for Transform steps to serve; its model data
 * must exist, as SageMaker checks at CreateModel.
 */
final class ModelStep implements StepKind {
    private final String type;

    ModelStep(String type) {
        this.type = type;
    }

    @Override
    public String type() {
        return type;
    }

    @Override
    public Set<String> properties() {
        return Set.of(
                "ModelName",
                "ModelArn",
                "PrimaryContainer",
                "Containers",
                "ExecutionRoleArn",
                "CreationTime");
    }

    @Override
    public List<String> request() {
        return List.of("CreateModelInput", "ModelName");
    }

    @Override
    public List<JsonNode> images(JsonNode arguments) {
        List<JsonNode> out = new ArrayList<>();
        containers(arguments)
                .forEach(
                        c -> {
                            if (c.has("Image")) {
                                out.add(c.get("Image"));
                            }
                        });
        return out;
    }

    static List<JsonNode> containers(JsonNode arguments) {
        List<JsonNode> out = new ArrayList<>();
        if (arguments.has("PrimaryContainer")) {
            out.add(arguments.get("PrimaryContainer"));
        }
        arguments.path("Containers").forEach(out::add);
        return out;
    }

    @Override
    public List<String> check(JsonNode step) {
        int n = containers(step.path("Arguments")).size();
        return n == 1
                ? List.of()
                : List.of("a model here has one container (PrimaryContainer); got " + n);
    }

    @Override
    public JsonNode run(StepRun run) throws Exception {
        JsonNode container = containers(run.arguments()).getFirst();
        String data = container.path("ModelDataUrl").asText(null);
        if (data == null || !Files.isRegularFile(run.s3().path(data))) {
            throw new StepFailure(
                    "ClientError: ModelDataUrl " + data + " does not name a model archive");
        }
        ObjectNode model = (ObjectNode) run.arguments().deepCopy();
        String name = run.jobName();
        model.put("ModelName", name);
        model.put("ModelArn", run.arn("model"));
        model.put("CreationTime", Instant.now().toString());
        Path file = Files.createDirectories(run.models()).resolve(name + ".json");
        Json.INDENTED.writeValue(file.toFile(), model);
        run.metadata("Model", Json.MAPPER.createObjectNode().put("Arn", run.arn("model")));
        return model;
    }
}
