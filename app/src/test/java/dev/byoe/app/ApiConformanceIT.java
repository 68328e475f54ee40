package dev.byoe.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.byoe.jobs.api.ApiShapes;
import dev.byoe.jobs.pipeline.ByoeImages;
import dev.byoe.jobs.pipeline.DefinitionReader;
import dev.byoe.jobs.pipeline.PipelineDefinition;
import dev.byoe.jobs.pipeline.SchemaCheck;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * SageMaker's API is the judge: every request file in {@code examples/} is checked against its
 * Create* request shape in botocore's service model from {@code ../shared/specs}, and the shapes
 * the jar checks its own outputs against ({@code sagemaker-shapes.json}) against the same model.
 * Skipped, with a message, when {@code ../shared/specs} is absent.
 */
class ApiConformanceIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path ROOT = Path.of(System.getProperty("byoe.root", ".."));
    private static final Path SPECS = ROOT.resolveSibling("shared").resolve("specs");
    private static final Path MODEL = SPECS.resolve("sagemaker-service-2.json");

    /** Request files of the runtime API (InvokeEndpoint), checked against its own service model. */
    private static final Map<String, String> RUNTIME_REQUESTS =
            Map.of("aws-cli/invoke-target-model.json", "InvokeEndpointInput");

    /** Each request file and the request shape of the API call it is written for. */
    private static final Map<String, String> REQUESTS =
            Map.ofEntries(
                    Map.entry("aws-cli/training-job.json", "CreateTrainingJobRequest"),
                    Map.entry("aws-cli/training-job-3-hosts.json", "CreateTrainingJobRequest"),
                    Map.entry("aws-cli/log-anomaly-training-job.json", "CreateTrainingJobRequest"),
                    Map.entry("aws-cli/tuning-job.json", "CreateHyperParameterTuningJobRequest"),
                    Map.entry("aws-cli/model.json", "CreateModelInput"),
                    Map.entry("aws-cli/multi-model.json", "CreateModelInput"),
                    Map.entry("aws-cli/endpoint-config-realtime.json", "CreateEndpointConfigInput"),
                    Map.entry(
                            "aws-cli/endpoint-config-serverless.json", "CreateEndpointConfigInput"),
                    Map.entry("aws-cli/transform-job.json", "CreateTransformJobRequest"),
                    Map.entry("aws-cli/monitoring-baseline-job.json", "CreateProcessingJobRequest"),
                    Map.entry("aws-cli/spark-processing-job.json", "CreateProcessingJobRequest"),
                    Map.entry(
                            "aws-cli/monitoring-schedule.json", "CreateMonitoringScheduleRequest"),
                    Map.entry("tuning/tuning.json", "CreateHyperParameterTuningJobRequest"),
                    Map.entry("metric-definitions/regression.json", "MetricDefinitionList"),
                    Map.entry("metric-definitions/binary.json", "MetricDefinitionList"),
                    Map.entry("metric-definitions/multiclass.json", "MetricDefinitionList"),
                    Map.entry("metric-definitions/log-anomaly.json", "MetricDefinitionList"));

    static ApiShapes api;

    @BeforeAll
    static void serviceModel() throws Exception {
        if (Files.isRegularFile(MODEL)) {
            api = ApiShapes.load(MODEL);
        } else {
            System.err.println(
                    "ApiConformanceIT: skipped: no SageMaker service model at "
                            + MODEL
                            + " (../shared/specs is absent)");
        }
    }

    /** Each test is reported as skipped, with the reason, where the service model is absent. */
    private static void needsTheServiceModel() {
        Assumptions.assumeTrue(
                api != null,
                "skipped: no SageMaker service model at " + MODEL + " (../shared/specs is absent)");
    }

    @Test
    void everyRequestFileInExamplesIsOneTheApiAccepts() throws Exception {
        needsTheServiceModel();
        List<String> problems = new ArrayList<>();
        List<String> checked = new ArrayList<>();
        for (Map.Entry<String, String> e : REQUESTS.entrySet()) {
            // Placeholders filled in as examples/aws-cli/fill does, with values of the right form.
            String text =
                    Files.readString(ROOT.resolve("examples").resolve(e.getKey()))
                            .replace("ACCOUNT_ID", "111122223333")
                            .replace("REGION", "eu-west-1")
                            .replace("SAGEMAKER_ROLE", "SageMakerRole")
                            .replace("BUCKET", "amzn-s3-demo-bucket");
            for (String p : api.check(e.getValue(), JSON.readTree(text))) {
                // The local tuning example reads local data, as the README says; nothing else is
                // excused.
                if (!(e.getKey().startsWith("tuning/") && ApiShapes.isLocalS3Uri(p))) {
                    problems.add(e.getKey() + ": " + p);
                }
            }
            checked.add(e.getKey());
        }
        ApiShapes runtime = ApiShapes.load(SPECS.resolve("sagemaker-runtime-service-2.json"));
        for (Map.Entry<String, String> e : RUNTIME_REQUESTS.entrySet()) {
            JsonNode request = JSON.readTree(ROOT.resolve("examples").resolve(e.getKey()).toFile());
            for (String p : runtime.check(e.getValue(), request)) {
                problems.add(e.getKey() + ": " + p);
            }
            checked.add(e.getKey());
        }
        // Pipeline definitions: each step's Arguments against its request shape in the full service
        // model, and the definition against the published schema beside it.
        try (Stream<Path> files = Files.list(ROOT.resolve("examples/pipelines"))) {
            for (Path f : files.filter(f -> f.toString().endsWith(".json")).sorted().toList()) {
                String name = "pipelines/" + f.getFileName();
                PipelineDefinition d =
                        DefinitionReader.read(
                                JSON.readTree(f.toFile()),
                                Map.of(),
                                new ByoeImages(Set.of()),
                                false);
                DefinitionReader.checkRequests(d, api).forEach(p -> problems.add(name + ": " + p));
                SchemaCheck.check(d, SPECS.resolve("pipeline-definition.schema.json"))
                        .problems()
                        .forEach(p -> problems.add(name + ": schema: " + p));
                checked.add(name);
            }
        }
        assertEquals(List.of(), problems);
        try (Stream<Path> files = Files.walk(ROOT.resolve("examples"))) {
            List<String> all =
                    files.filter(
                                    f ->
                                            f.toString().endsWith(".json")
                                                    && !f.toString().contains("/filled/"))
                            .map(f -> ROOT.resolve("examples").relativize(f).toString())
                            .sorted()
                            .toList();
            assertTrue(
                    checked.containsAll(all),
                    "every JSON file in examples/ is checked; unchecked: "
                            + all.stream().filter(f -> !checked.contains(f)).toList());
        }
    }

    @Test
    void theShapesTheJarChecksItsFilesAgainstAreTheServiceModels() throws Exception {
        needsTheServiceModel();
        JsonNode full = JSON.readTree(MODEL.toFile()).get("shapes");
        JsonNode bundled;
        try (InputStream in = ApiShapes.class.getResourceAsStream("sagemaker-shapes.json")) {
            bundled = JSON.readTree(in).get("shapes");
        }
        assertTrue(bundled.size() > 100, "shapes shipped: " + bundled.size());
        List<String> different = new ArrayList<>();
        for (Map.Entry<String, JsonNode> e : bundled.properties()) {
            if (!withoutDocumentation(full.get(e.getKey())).equals(e.getValue())) {
                different.add(e.getKey());
            }
        }
        assertEquals(
                List.of(),
                different,
                "derived shapes that differ from the service model (run scripts/derive-api-shapes)");
    }

    @Test
    void aRequestTheApiRefusesIsRefusedByTheCheck() throws Exception {
        needsTheServiceModel();
        ObjectNode job =
                (ObjectNode)
                        JSON.readTree(ROOT.resolve("examples/aws-cli/training-job.json").toFile());
        job.remove("RoleArn");
        job.put("TrainingJobName", "under_score");
        List<String> problems = api.check("CreateTrainingJobRequest", job);
        assertTrue(
                problems.stream().anyMatch(p -> p.startsWith("RoleArn: required")),
                problems.toString());
        assertTrue(
                problems.stream()
                        .anyMatch(
                                p -> p.startsWith("TrainingJobName: 'under_score' does not match")),
                problems.toString());
    }

    private static JsonNode withoutDocumentation(JsonNode shape) {
        ObjectNode copy = shape.deepCopy();
        copy.remove(List.of("documentation", "exception", "error"));
        JsonNode members = copy.get("members");
        if (members != null) {
            members.forEach(m -> ((ObjectNode) m).remove("documentation"));
        }
        for (String ref : List.of("member", "key", "value")) {
            if (copy.has(ref)) {
                copy.set(
                        ref,
                        JSON.createObjectNode().put("shape", copy.get(ref).get("shape").asText()));
            }
        }
        return copy;
    }
}
