package dev.byoe.jobs.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.byoe.core.Json;
import dev.byoe.jobs.contract.MlPaths;
import dev.byoe.jobs.registry.ModelArchive;
import dev.byoe.jobs.tune.MetricScanner;
import dev.byoe.jobs.tune.TuningConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * {@code Training}: a CreateTrainingJob request run as {@code byoe train} on its own {@code
 * /opt/ml}: hyperparameters, channel configs and channel data laid out as SageMaker lays them out,
 * the job's output read with its {@code MetricDefinitions}, and the model packed to {@code
 * <S3OutputPath>/<job>/output/model.tar.gz}. Its properties are DescribeTrainingJob's answer.
 */
final class TrainingStep implements StepKind {
    @Override
    public String type() {
        return "Training";
    }

    @Override
    public Set<String> properties() {
        return Set.of(
                "TrainingJobName",
                "TrainingJobArn",
                "TrainingJobStatus",
                "SecondaryStatus",
                "HyperParameters",
                "AlgorithmSpecification",
                "InputDataConfig",
                "OutputDataConfig",
                "ResourceConfig",
                "StoppingCondition",
                "ModelArtifacts",
                "FinalMetricDataList",
                "TrainingStartTime",
                "TrainingEndTime",
                "RoleArn",
                "Environment");
    }

    @Override
    public List<String> request() {
        return List.of("CreateTrainingJobRequest", "TrainingJobName");
    }

    @Override
    public List<JsonNode> images(JsonNode arguments) {
        JsonNode image = arguments.path("AlgorithmSpecification").path("TrainingImage");
        return image.isMissingNode() ? List.of() : List.of(image);
    }

    @Override
    public List<String> check(JsonNode step) {
        List<String> problems = new ArrayList<>();
        for (JsonNode c : step.path("Arguments").path("InputDataConfig")) {
            if (!c.path("DataSource").has("S3DataSource")) {
                problems.add(
                        "InputDataConfig["
                                + c.path("ChannelName").asText()
                                + "]: only S3DataSource channels run here");
            }
            JobFiles.notAPrefix(
                            "InputDataConfig[" + c.path("ChannelName").asText() + "]",
                            c.path("DataSource").path("S3DataSource"))
                    .ifPresent(problems::add);
        }
        return problems;
    }

    @Override
    public JsonNode run(StepRun run) throws Exception {
        JsonNode args = run.arguments();
        String image = args.path("AlgorithmSpecification").path("TrainingImage").asText(null);
        Instant start = Instant.now();
        run.metadata(
                "TrainingJob", Json.MAPPER.createObjectNode().put("Arn", run.arn("training-job")));
        Path root = run.root();
        layOut(run, args, run.inDocker(image));
        MetricScanner scanner = new MetricScanner(metricDefinitions(args));
        Map<String, String> env = new LinkedHashMap<>();
        args.path("Environment")
                .properties()
                .forEach(e -> env.put(e.getKey(), e.getValue().asText()));
        env.put("TRAINING_JOB_NAME", run.jobName());
        JobLauncher.Outcome outcome =
                run.runJob(
                        image,
                        List.of("train"),
                        env,
                        scanner::accept,
                        args.path("StoppingCondition").path("MaxRuntimeInSeconds").asLong(0),
                        List.of());
        if (outcome.exit() != 0) {
            throw JobFiles.failure(run.jobName(), root, outcome, run.log());
        }
        String output = args.path("OutputDataConfig").path("S3OutputPath").asText();
        String prefix = (output.endsWith("/") ? output : output + "/") + run.jobName() + "/output/";
        Path archive = run.s3().path(prefix + "model.tar.gz");
        ModelArchive.pack(root.resolve("model"), archive);
        Path data = root.resolve("output/data");
        boolean written;
        try (var files = Files.list(data)) {
            written = files.findAny().isPresent();
        }
        if (written) {
            ModelArchive.pack(data, run.s3().path(prefix + "output.tar.gz"));
        }
        ObjectNode props = (ObjectNode) args.deepCopy();
        props.put("TrainingJobName", run.jobName());
        props.put("TrainingJobArn", run.arn("training-job"));
        props.put("TrainingJobStatus", "Completed");
        props.put("SecondaryStatus", "Completed");
        props.putObject("ModelArtifacts").put("S3ModelArtifacts", prefix + "model.tar.gz");
        String end = Instant.now().toString();
        ArrayNode metrics = props.putArray("FinalMetricDataList");
        scanner.finalValues()
                .forEach(
                        (name, value) ->
                                metrics.addObject()
                                        .put("MetricName", name)
                                        .put("Value", value)
                                        .put("Timestamp", end));
        props.put("TrainingStartTime", start.toString());
        props.put("TrainingEndTime", end);
        return props;
    }

    private static List<TuningConfig.MetricDefinition> metricDefinitions(JsonNode args)
            throws StepFailure {
        List<TuningConfig.MetricDefinition> out = new ArrayList<>();
        for (JsonNode d : args.path("AlgorithmSpecification").path("MetricDefinitions")) {
            try {
                out.add(
                        new TuningConfig.MetricDefinition(
                                d.path("Name").asText(),
                                Pattern.compile(d.path("Regex").asText())));
            } catch (PatternSyntaxException e) {
                throw new StepFailure(
                        "ClientError: MetricDefinitions["
                                + d.path("Name").asText()
                                + "].Regex does not compile: "
                                + e.getDescription());
            }
        }
        return out;
    }

    /** {@code input/config} and {@code input/data} as SageMaker writes them. */
    private static void layOut(StepRun run, JsonNode args, boolean copy) throws Exception {
        Path root = run.root();
        Path config = Files.createDirectories(root.resolve("input/config"));
        Files.createDirectories(root.resolve("model"));
        Files.createDirectories(root.resolve("output/data"));
        Map<String, String> hyperparameters = new LinkedHashMap<>();
        args.path("HyperParameters")
                .properties()
                .forEach(e -> hyperparameters.put(e.getKey(), e.getValue().asText()));
        Json.MAPPER.writeValue(config.resolve("hyperparameters.json").toFile(), hyperparameters);
        ObjectNode channels = Json.MAPPER.createObjectNode();
        String mode = args.path("AlgorithmSpecification").path("TrainingInputMode").asText("File");
        for (JsonNode c : args.path("InputDataConfig")) {
            String name = c.path("ChannelName").asText();
            JsonNode s3 = c.path("DataSource").path("S3DataSource");
            String channelMode = c.path("InputMode").asText(mode);
            if (channelMode.equals("Pipe") || channelMode.equals("FastFile")) {
                run.note(
                        "channel " + name + ": " + channelMode + " mode is read as File mode here");
            }
            channels.putObject(name)
                    .put("ContentType", c.path("ContentType").asText("text/csv"))
                    .put("TrainingInputMode", "File")
                    .put(
                            "S3DistributionType",
                            s3.path("S3DataDistributionType").asText("FullyReplicated"))
                    .put("RecordWrapperType", c.path("RecordWrapperType").asText("None"));
            JobFiles.download(
                    run.s3(),
                    s3.path("S3Uri").asText(),
                    root.resolve("input/data").resolve(name),
                    copy,
                    "channel " + name);
        }
        Json.MAPPER.writeValue(config.resolve("inputdataconfig.json").toFile(), channels);
        int instances = args.path("ResourceConfig").path("InstanceCount").asInt(1);
        if (instances > 1) {
            run.note(
                    "ResourceConfig.InstanceCount "
                            + instances
                            + ": a pipeline step trains on one host here");
        }
        Json.MAPPER.writeValue(config.resolve("resourceconfig.json").toFile(), MlPaths.ONE_HOST);
    }
}
