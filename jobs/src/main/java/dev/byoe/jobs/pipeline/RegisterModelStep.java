package dev.byoe.jobs.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.byoe.core.Json;
import dev.byoe.jobs.registry.ApprovalStatus;
import dev.byoe.jobs.registry.ModelRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code RegisterModel}: a CreateModelPackage request, registered as a new version of its group in
 * byoe's registry, with the metrics of its {@code ModelMetrics} statistics file. Properties: {@code
 * ModelPackageArn} and the rest of DescribeModelPackage's answer.
 */
final class RegisterModelStep implements StepKind {
    @Override
    public String type() {
        return "RegisterModel";
    }

    @Override
    public Set<String> properties() {
        return Set.of(
                "ModelPackageArn",
                "ModelPackageName",
                "ModelPackageGroupName",
                "ModelPackageVersion",
                "ModelApprovalStatus",
                "CreationTime");
    }

    @Override
    public List<String> request() {
        return List.of("CreateModelPackageInput");
    }

    @Override
    public List<JsonNode> images(JsonNode arguments) {
        List<JsonNode> out = new ArrayList<>();
        arguments
                .path("InferenceSpecification")
                .path("Containers")
                .forEach(c -> out.add(c.path("Image")));
        return out;
    }

    @Override
    public List<String> check(JsonNode step) {
        JsonNode args = step.path("Arguments");
        List<String> problems = new ArrayList<>();
        if (!args.has("ModelPackageGroupName")) {
            problems.add("ModelPackageGroupName is required (versions are registered in a group)");
        }
        if (args.path("InferenceSpecification").path("Containers").size() != 1) {
            problems.add(
                    "InferenceSpecification.Containers must hold one container (a byoe model)");
        }
        return problems;
    }

    @Override
    public JsonNode run(StepRun run) throws Exception {
        JsonNode args = run.arguments();
        JsonNode spec = args.path("InferenceSpecification");
        JsonNode container = spec.path("Containers").get(0);
        String data = container.path("ModelDataUrl").asText();
        if (!Files.isRegularFile(run.s3().path(data))) {
            throw new StepFailure(
                    "ClientError: ModelDataUrl " + data + " does not name a model archive");
        }
        ApprovalStatus status;
        try {
            status =
                    ApprovalStatus.valueOf(
                            args.path("ModelApprovalStatus").asText("PendingManualApproval"));
        } catch (IllegalArgumentException e) {
            throw new StepFailure(
                    "ClientError: ModelApprovalStatus '"
                            + args.path("ModelApprovalStatus").asText()
                            + "' is not one of "
                            + List.of(ApprovalStatus.values()));
        }
        Map<String, String> properties = new LinkedHashMap<>();
        args.path("CustomerMetadataProperties")
                .properties()
                .forEach(e -> properties.put(e.getKey(), e.getValue().asText()));
        ObjectNode registered =
                run.registry()
                        .register(
                                new ModelRegistry.Registration(
                                        args.path("ModelPackageGroupName").asText(),
                                        run.s3().path(data),
                                        metrics(run, args.path("ModelMetrics")),
                                        properties,
                                        container.path("Image").asText(),
                                        texts(spec.path("SupportedContentTypes")),
                                        texts(spec.path("SupportedResponseMIMETypes")),
                                        status,
                                        args.path("ModelPackageDescription").asText(null)));
        if (args.has("DriftCheckBaselines")) {
            registered =
                    run.registry()
                            .amend(
                                    registered.path("ModelPackageGroupName").asText(),
                                    registered.path("ModelPackageVersion").asInt(),
                                    "DriftCheckBaselines",
                                    args.get("DriftCheckBaselines"));
        }
        run.metadata(
                "RegisterModel",
                Json.MAPPER
                        .createObjectNode()
                        .put("Arn", registered.path("ModelPackageArn").asText()));
        run.note(
                "registered "
                        + registered.path("ModelPackageGroupName").asText()
                        + " version "
                        + registered.path("ModelPackageVersion").asInt()
                        + " ("
                        + status
                        + ") in "
                        + run.registry().root());
        return registered;
    }

    /**
     * The numbers of every statistics file in {@code ModelMetrics}: each object holding a numeric
     * {@code value} is a metric named by its key (as in {@code {"regression_metrics": {"mse":
     * {"value": ...}}}}).
     */
    private static Map<String, Double> metrics(StepRun run, JsonNode modelMetrics)
            throws IOException {
        Map<String, Double> out = new LinkedHashMap<>();
        for (JsonNode group : modelMetrics) {
            for (JsonNode file : group) {
                String uri = file.path("S3Uri").asText(null);
                if (uri != null && Files.isRegularFile(run.s3().path(uri))) {
                    collect(Json.MAPPER.readTree(run.s3().path(uri).toFile()), out);
                }
            }
        }
        return out;
    }

    private static void collect(JsonNode node, Map<String, Double> out) {
        node.properties()
                .forEach(
                        e -> {
                            JsonNode v = e.getValue();
                            if (v.isObject() && v.path("value").isNumber()) {
                                out.put(e.getKey(), v.path("value").asDouble());
                            } else if (v.isObject()) {
                                collect(v, out);
                            }
                        });
    }

    private static List<String> texts(JsonNode list) {
        List<String> out = new ArrayList<>();
        list.forEach(v -> out.add(v.asText()));
        return out;
    }
}
