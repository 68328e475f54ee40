package dev.byoe.jobs.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.byoe.core.Json;
import dev.byoe.jobs.registry.ModelArchive;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code Tuning}: a CreateHyperParameterTuningJob request run by {@code byoe tune} (each trial a
 * real {@code byoe train}), with channels read from the folder standing in for S3. Every completed
 * trial's model goes to {@code <S3OutputPath>/<trial>/output/model.tar.gz}, where SageMaker puts
 * it. Properties: DescribeHyperParameterTuningJob's answer plus {@code TrainingJobSummaries}, best
 * first (as the SDK's {@code get_top_model_s3_uri} reads them).
 */
final class TuningStep implements StepKind {
    @Override
    public String type() {
        return "Tuning";
    }

    @Override
    public Set<String> properties() {
        return Set.of(
                "HyperParameterTuningJobName",
                "HyperParameterTuningJobArn",
                "HyperParameterTuningJobStatus",
                "HyperParameterTuningJobConfig",
                "TrainingJobDefinition",
                "BestTrainingJob",
                "TrainingJobSummaries",
                "TrainingJobStatusCounters",
                "ObjectiveStatusCounters",
                "CreationTime",
                "HyperParameterTuningEndTime");
    }

    @Override
    public List<String> request() {
        return List.of("CreateHyperParameterTuningJobRequest", "HyperParameterTuningJobName");
    }

    @Override
    public int jobNameLimit() {
        return 32;
    }

    @Override
    public List<JsonNode> images(JsonNode arguments) {
        JsonNode image =
                arguments
                        .path("TrainingJobDefinition")
                        .path("AlgorithmSpecification")
                        .path("TrainingImage");
        return image.isMissingNode() ? List.of() : List.of(image);
    }

    @Override
    public List<String> check(JsonNode step) {
        List<String> problems = new java.util.ArrayList<>();
        JsonNode args = step.path("Arguments");
        if (args.has("TrainingJobDefinitions")) {
            problems.add(
                    "TrainingJobDefinitions (several algorithms in one tuning job) is not run here;"
                            + " use TrainingJobDefinition");
        }
        for (JsonNode c : args.path("TrainingJobDefinition").path("InputDataConfig")) {
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
        run.metadata(
                "TuningJob",
                Json.MAPPER.createObjectNode().put("Arn", run.arn("hyper-parameter-tuning-job")));
        ObjectNode request = (ObjectNode) args.deepCopy();
        request.put("HyperParameterTuningJobName", run.jobName());
        String image =
                args.path("TrainingJobDefinition")
                        .path("AlgorithmSpecification")
                        .path("TrainingImage")
                        .asText(null);
        boolean docker = run.inDocker(image);
        for (JsonNode c : request.path("TrainingJobDefinition").path("InputDataConfig")) {
            ObjectNode s3 = (ObjectNode) c.path("DataSource").path("S3DataSource");
            String name = c.path("ChannelName").asText();
            Path folder = run.root().resolve("input/data").resolve(name);
            JobFiles.download(
                    run.s3(), s3.path("S3Uri").asText(), folder, docker, "channel " + name);
            s3.put(
                    "S3Uri",
                    docker ? "/opt/ml/input/data/" + name : folder.toAbsolutePath().toString());
        }
        Path requestFile = run.root().resolve("tuning-request.json");
        Json.INDENTED.writeValue(requestFile.toFile(), request);
        Path output = run.root().resolve("tuning");
        JobLauncher.Outcome outcome =
                run.runJob(
                        image,
                        List.of(
                                "tune",
                                "--config",
                                run.jobPath(requestFile, image),
                                "--output",
                                run.jobPath(output, image)),
                        Map.of(),
                        line -> {},
                        0,
                        List.of());
        if (outcome.exit() == 2) {
            throw new StepFailure(
                    "ClientError: the tuning request was refused: " + tail(run.log()));
        }
        if (outcome.exit() != 0) {
            Path failure = output.resolve("failure");
            if (Files.exists(failure)) {
                throw new StepFailure(
                        "AlgorithmError: "
                                + Files.readString(failure, StandardCharsets.UTF_8).strip()
                                + " (tuning job "
                                + run.jobName()
                                + ", failure file "
                                + failure
                                + ")");
            }
            throw JobFiles.failure(run.jobName(), run.root(), outcome, run.log());
        }
        ObjectNode props =
                (ObjectNode) Json.MAPPER.readTree(output.resolve("summary.json").toFile());
        props.set("HyperParameterTuningJobConfig", args.path("HyperParameterTuningJobConfig"));
        props.set("TrainingJobDefinition", args.path("TrainingJobDefinition"));
        List<JsonNode> trials = new ArrayList<>();
        Json.MAPPER
                .readTree(output.resolve("training-jobs.json").toFile())
                .path("TrainingJobSummaries")
                .forEach(trials::add);
        boolean minimize =
                args.path("HyperParameterTuningJobConfig")
                        .path("HyperParameterTuningJobObjective")
                        .path("Type")
                        .asText()
                        .equals("Minimize");
        Comparator<JsonNode> byObjective =
                Comparator.comparingDouble(
                        t ->
                                t.path("FinalHyperParameterTuningJobObjectiveMetric")
                                        .path("Value")
                                        .asDouble());
        trials.sort(
                Comparator.comparing(
                                (JsonNode t) ->
                                        !t.path("FinalHyperParameterTuningJobObjectiveMetric")
                                                .has("Value"))
                        .thenComparing(minimize ? byObjective : byObjective.reversed()));
        ArrayNode summaries = props.putArray("TrainingJobSummaries");
        trials.forEach(summaries::add);
        String s3Output =
                args.path("TrainingJobDefinition")
                        .path("OutputDataConfig")
                        .path("S3OutputPath")
                        .asText();
        String prefix = s3Output.endsWith("/") ? s3Output : s3Output + "/";
        for (JsonNode t : trials) {
            String name = t.path("TrainingJobName").asText();
            Path model = output.resolve("trials").resolve(name).resolve("model");
            if (t.path("TrainingJobStatus").asText().equals("Completed")
                    && Files.isDirectory(model)) {
                ModelArchive.pack(model, run.s3().path(prefix + name + "/output/model.tar.gz"));
            }
        }
        return props;
    }

    private static String tail(Path log) throws java.io.IOException {
        List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        return String.join(" | ", lines.subList(Math.max(0, lines.size() - 5), lines.size()));
    }
}
