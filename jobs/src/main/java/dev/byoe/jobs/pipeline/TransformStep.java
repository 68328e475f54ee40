package dev.byoe.jobs.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.byoe.core.Json;
import dev.byoe.jobs.registry.ModelArchive;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * {@code Transform}: a CreateTransformJob request. The model a Model step recorded is unpacked into
 * the step's {@code /opt/ml/model} and served by {@code byoe serve}, as SageMaker's batch transform
 * runs the container; {@link BatchTransform} sends it every record of every input object.
 */
final class TransformStep implements StepKind {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Override
    public String type() {
        return "Transform";
    }

    @Override
    public Set<String> properties() {
        return Set.of(
                "TransformJobName",
                "TransformJobArn",
                "TransformJobStatus",
                "ModelName",
                "TransformInput",
                "TransformOutput",
                "TransformResources",
                "DataProcessing",
                "BatchStrategy",
                "MaxPayloadInMB",
                "MaxConcurrentTransforms",
                "Environment",
                "TransformStartTime",
                "TransformEndTime");
    }

    @Override
    public List<String> request() {
        return List.of("CreateTransformJobRequest", "TransformJobName");
    }

    @Override
    public List<String> check(JsonNode step) {
        JsonNode input = step.path("Arguments").path("TransformInput");
        String split = input.path("SplitType").asText("None");
        List<String> problems = new java.util.ArrayList<>();
        if (!split.equals("None") && !split.equals("Line")) {
            problems.add("TransformInput.SplitType " + split + ": Line and None run here");
        }
        // The local agent splits, joins and filters text; a binary body (Parquet, RecordIO) goes
        // to the server whole, and its answer is written as it comes.
        String contentType = input.path("ContentType").asText("");
        String accept = step.path("Arguments").path("TransformOutput").path("Accept").asText("");
        if (BatchTransform.isBinary(contentType) || BatchTransform.isBinary(accept)) {
            JsonNode processing = step.path("Arguments").path("DataProcessing");
            String binary = BatchTransform.isBinary(contentType) ? contentType : accept;
            if (!split.equals("None")) {
                problems.add(
                        "TransformInput.SplitType "
                                + split
                                + " with "
                                + binary
                                + ": a binary object is sent whole here (SplitType None)");
            }
            for (String field : List.of("InputFilter", "OutputFilter")) {
                String path = processing.path(field).asText("$");
                if (!path.equals("$")) {
                    problems.add(
                            "DataProcessing."
                                    + field
                                    + " with "
                                    + binary
                                    + ": filters are JSONPath over text records");
                }
            }
            if (processing.path("JoinSource").asText("None").equals("Input")) {
                problems.add(
                        "DataProcessing.JoinSource Input with "
                                + binary
                                + ": a binary input cannot be joined to its answer");
            }
        }
        JobFiles.notAPrefix("TransformInput", input.path("DataSource").path("S3DataSource"))
                .ifPresent(problems::add);
        return problems;
    }

    @Override
    public JsonNode run(StepRun run) throws Exception {
        JsonNode args = run.arguments();
        Instant start = Instant.now();
        run.metadata(
                "TransformJob",
                Json.MAPPER.createObjectNode().put("Arn", run.arn("transform-job")));
        String modelName = args.path("ModelName").asText();
        Path modelFile = run.models().resolve(modelName + ".json");
        if (!Files.isRegularFile(modelFile)) {
            throw new StepFailure(
                    "ClientError: no model named " + modelName + " (a Model step records one)");
        }
        JsonNode container =
                ModelStep.containers(Json.MAPPER.readTree(modelFile.toFile())).getFirst();
        String image = container.path("Image").asText(null);
        if (!run.inDocker(image) && !run.images().contains(image)) {
            throw new StepFailure(
                    "ClientError: model "
                            + modelName
                            + "'s image "
                            + image
                            + " is not byoe's; with --docker it would run in Docker");
        }
        ModelArchive.unpack(
                run.s3().path(container.path("ModelDataUrl").asText()),
                run.root().resolve("model"));
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Map<String, String> env = new LinkedHashMap<>();
        container
                .path("Environment")
                .properties()
                .forEach(e -> env.put(e.getKey(), e.getValue().asText()));
        args.path("Environment")
                .properties()
                .forEach(e -> env.put(e.getKey(), e.getValue().asText()));
        if (args.has("MaxPayloadInMB")) {
            env.put("SAGEMAKER_MAX_PAYLOAD_IN_MB", args.path("MaxPayloadInMB").asText());
        }
        if (!run.inDocker(image)) {
            env.put("SAGEMAKER_BIND_TO_PORT", Integer.toString(port));
        }
        List<String> docker = List.of("-p", "127.0.0.1:" + port + ":8080");
        CompletableFuture<JobLauncher.Outcome> server =
                CompletableFuture.supplyAsync(
                        () -> {
                            try {
                                return run.runJob(
                                        image, List.of("serve"), env, line -> {}, 0, docker);
                            } catch (IOException e) {
                                throw new java.io.UncheckedIOException(e);
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                                throw new IllegalStateException(e);
                            }
                        });
        URI base = URI.create("http://127.0.0.1:" + port);
        try {
            JsonNode parameters = waitForServer(base, server, run);
            BatchTransform agent =
                    new BatchTransform(settings(args, parameters), base.resolve("/invocations"));
            String inputUri =
                    args.path("TransformInput")
                            .path("DataSource")
                            .path("S3DataSource")
                            .path("S3Uri")
                            .asText();
            String outputUri = args.path("TransformOutput").path("S3OutputPath").asText();
            String outputPrefix = outputUri.endsWith("/") ? outputUri : outputUri + "/";
            List<LocalS3.Object> objects = run.s3().objects(inputUri);
            if (objects.isEmpty()) {
                throw new StepFailure("ClientError: TransformInput: no objects under " + inputUri);
            }
            long records = 0;
            for (LocalS3.Object o : objects) {
                records +=
                        agent.transform(
                                o.file(),
                                o.relative(),
                                run.s3().path(outputPrefix + o.relative() + ".out"));
            }
            run.note(records + " records of " + objects.size() + " object(s) -> " + outputPrefix);
        } finally {
            run.stopJob();
            server.exceptionally(e -> null).join();
        }
        ObjectNode props = (ObjectNode) args.deepCopy();
        props.put("TransformJobName", run.jobName());
        props.put("TransformJobArn", run.arn("transform-job"));
        props.put("TransformJobStatus", "Completed");
        props.put("TransformStartTime", start.toString());
        props.put("TransformEndTime", Instant.now().toString());
        return props;
    }

    /** Waits until {@code /ping} answers 200; returns {@code /execution-parameters}. */
    private static JsonNode waitForServer(
            URI base, CompletableFuture<JobLauncher.Outcome> server, StepRun run)
            throws InterruptedException, StepFailure {
        long deadline = System.nanoTime() + 300_000_000_000L;
        while (System.nanoTime() < deadline) {
            if (server.isDone()) {
                throw new StepFailure(
                        "ClientError: the model server stopped before it was healthy (log: "
                                + run.log()
                                + ")");
            }
            try {
                HttpResponse<String> ping =
                        HTTP.send(
                                HttpRequest.newBuilder(base.resolve("/ping")).build(),
                                HttpResponse.BodyHandlers.ofString());
                if (ping.statusCode() == 200) {
                    HttpResponse<String> p =
                            HTTP.send(
                                    HttpRequest.newBuilder(base.resolve("/execution-parameters"))
                                            .build(),
                                    HttpResponse.BodyHandlers.ofString());
                    return p.statusCode() == 200
                            ? Json.MAPPER.readTree(p.body())
                            : Json.MAPPER.createObjectNode();
                }
            } catch (IOException e) {
                // Not listening yet.
            }
            Thread.sleep(100);
        }
        throw new StepFailure(
                "ClientError: the model server was not healthy within 300 s (log: "
                        + run.log()
                        + ")",
                StepFailure.JOB_INTERNAL_ERROR);
    }

    private static BatchTransform.Settings settings(JsonNode args, JsonNode parameters) {
        JsonNode input = args.path("TransformInput");
        JsonNode output = args.path("TransformOutput");
        JsonNode processing = args.path("DataProcessing");
        String strategy =
                args.path("BatchStrategy")
                        .asText(parameters.path("BatchStrategy").asText("MultiRecord"));
        int mb = args.path("MaxPayloadInMB").asInt(parameters.path("MaxPayloadInMB").asInt(6));
        return new BatchTransform.Settings(
                input.path("ContentType").asText("text/csv"),
                output.path("Accept").asText(null),
                input.path("SplitType").asText("None").equals("Line"),
                strategy.equals("MultiRecord"),
                Math.max(1, mb) * 1024L * 1024L,
                args.path("MaxConcurrentTransforms")
                        .asInt(parameters.path("MaxConcurrentTransforms").asInt(1)),
                output.path("AssembleWith").asText("None").equals("Line"),
                processing.path("InputFilter").asText(null),
                processing.path("OutputFilter").asText(null),
                processing.path("JoinSource").asText("None").equals("Input"),
                input.path("CompressionType").asText("None").equals("Gzip"));
    }
}
