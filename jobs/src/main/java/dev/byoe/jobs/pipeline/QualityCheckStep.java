package dev.byoe.jobs.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.byoe.core.Json;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code QualityCheck} with {@code CheckType: DATA_QUALITY}, through {@code byoe monitor}: the
 * dataset's baseline is calculated ({@code CalculatedBaselineStatistics/Constraints}); unless
 * {@code SkipCheck}, the dataset is then checked against the supplied baseline constraints, and a
 * violation fails the step, as SageMaker's check does.
 */
final class QualityCheckStep implements StepKind {
    @Override
    public String type() {
        return "QualityCheck";
    }

    @Override
    public Set<String> properties() {
        return Set.of(
                "CalculatedBaselineStatistics", "CalculatedBaselineConstraints",
                "BaselineUsedForDriftCheckStatistics", "BaselineUsedForDriftCheckConstraints");
    }

    @Override
    public List<JsonNode> images(JsonNode arguments) {
        return ProcessingJob.images(arguments);
    }

    @Override
    public List<String> check(JsonNode step) {
        List<String> problems =
                new ArrayList<>(ProcessingJob.check(step.path("Arguments"), List.of("monitor")));
        if (!step.path("CheckType").asText().equals("DATA_QUALITY")) {
            problems.add(
                    "CheckType '"
                            + step.path("CheckType").asText()
                            + "': only DATA_QUALITY runs here (MODEL_QUALITY needs ground truth merged by SageMaker)");
        }
        return problems;
    }

    @Override
    public JsonNode run(StepRun run) throws Exception {
        JsonNode args = run.arguments();
        String output =
                ProcessingJob.outputUri(
                        args,
                        args.path("ProcessingOutputConfig")
                                .path("Outputs")
                                .path(0)
                                .path("OutputName")
                                .asText());
        if (output == null) {
            throw new StepFailure(
                    "ClientError: a quality check needs an output (ProcessingOutputConfig.Outputs)");
        }
        ProcessingJob.run(run, args, Map.of(), List.of("monitor", "baseline"));
        String prefix = output.endsWith("/") ? output : output + "/";
        ObjectNode props = Json.MAPPER.createObjectNode();
        props.put("CalculatedBaselineStatistics", prefix + "statistics.json");
        props.put("CalculatedBaselineConstraints", prefix + "constraints.json");
        String constraints = run.field("SuppliedBaselineConstraints").asText(null);
        String statistics = run.field("SuppliedBaselineStatistics").asText(null);
        boolean skip = run.field("SkipCheck").asBoolean(false);
        boolean register = run.field("RegisterNewBaseline").asBoolean(false);
        props.put(
                "BaselineUsedForDriftCheckStatistics",
                register || statistics == null ? prefix + "statistics.json" : statistics);
        props.put(
                "BaselineUsedForDriftCheckConstraints",
                register || constraints == null ? prefix + "constraints.json" : constraints);
        ObjectNode metadata =
                Json.MAPPER
                        .createObjectNode()
                        .put("CheckType", "DATA_QUALITY")
                        .put("SkipCheck", skip)
                        .put("RegisterNewBaseline", register);
        metadata.put(
                "CalculatedBaselineStatistics",
                props.path("CalculatedBaselineStatistics").asText());
        metadata.put(
                "CalculatedBaselineConstraints",
                props.path("CalculatedBaselineConstraints").asText());
        metadata.put("CheckJobArn", run.arn("processing-job"));
        if (skip || constraints == null) {
            run.metadata("QualityCheck", metadata);
            run.note(
                    skip
                            ? "SkipCheck: baseline calculated, not checked"
                            : "no supplied baseline: baseline calculated, nothing to check against");
            return props;
        }
        Path check = run.root().resolve("check");
        Map<String, String> env = new LinkedHashMap<>();
        env.put("baseline_constraints", localFile(run, constraints, check.resolve("constraints")));
        if (statistics != null) {
            env.put("baseline_statistics", localFile(run, statistics, check.resolve("statistics")));
        }
        ObjectNode analyze = (ObjectNode) args.deepCopy();
        ((ObjectNode) analyze.path("AppSpecification"))
                .putArray("ContainerArguments")
                .add("monitor")
                .add("analyze");
        String checkOutput = prefix + "check/";
        ((ObjectNode)
                        analyze.path("ProcessingOutputConfig")
                                .path("Outputs")
                                .get(0)
                                .path("S3Output"))
                .put("S3Uri", checkOutput);
        ProcessingJob.run(run, analyze, env, List.of("monitor", "analyze"));
        metadata.put("ViolationReport", checkOutput + "constraint_violations.json");
        run.metadata("QualityCheck", metadata);
        JsonNode violations =
                Json.MAPPER
                        .readTree(
                                run.s3().path(checkOutput + "constraint_violations.json").toFile())
                        .path("violations");
        if (!violations.isEmpty()) {
            throw new StepFailure(
                    "ClientError: Quality check failed: "
                            + violations.size()
                            + " violation(s) of the baseline constraints, first: "
                            + violations.get(0).path("feature_name").asText()
                            + " "
                            + violations.get(0).path("constraint_check_type").asText()
                            + " ("
                            + checkOutput
                            + "constraint_violations.json)");
        }
        return props;
    }

    /**
     * The supplied baseline file, put where the check's job reads it; its path as the job sees it.
     */
    private static String localFile(StepRun run, String uri, Path folder) throws Exception {
        JobFiles.download(run.s3(), uri, folder, true, "supplied baseline");
        String name = run.s3().objects(uri).getFirst().relative();
        return folder.resolve(name).toString();
    }
}
