package dev.byoe.jobs.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code Processing}: a byoe processing job ({@code process}, {@code monitor}, {@code evaluate}).
 */
final class ProcessingStep implements StepKind {
    @Override
    public String type() {
        return "Processing";
    }

    @Override
    public Set<String> properties() {
        return Set.of(
                "ProcessingJobName",
                "ProcessingJobArn",
                "ProcessingJobStatus",
                "ProcessingInputs",
                "ProcessingOutputConfig",
                "AppSpecification",
                "Environment",
                "ExitMessage",
                "ProcessingResources",
                "StoppingCondition",
                "RoleArn",
                "ProcessingStartTime",
                "ProcessingEndTime",
                "PropertyFiles");
    }

    @Override
    public List<String> request() {
        return List.of("CreateProcessingJobRequest", "ProcessingJobName");
    }

    @Override
    public List<JsonNode> images(JsonNode arguments) {
        return ProcessingJob.images(arguments);
    }

    @Override
    public List<String> check(JsonNode step) {
        return ProcessingJob.check(step.path("Arguments"), List.of());
    }

    @Override
    public JsonNode run(StepRun run) throws Exception {
        return ProcessingJob.run(run, run.arguments(), Map.of(), List.of());
    }
}
