package dev.byoe.jobs.tune;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A validated tuning job: what {@link TuningConfigReader} makes of SageMaker's
 * CreateHyperParameterTuningJob JSON.
 *
 * @param maxJobs MaxNumberOfTrainingJobs (for Grid: the number of combinations)
 * @param earlyStopping TrainingJobEarlyStoppingType Auto
 * @param hyperband set only for the Hyperband strategy
 * @param maxRuntimeSeconds StoppingCondition.MaxRuntimeInSeconds of each trial, 0 for none
 * @param environment TrainingJobDefinition.Environment, set for every trial's process
 * @param notes fields accepted but without effect locally (role, instance type, ...)
 * @param request the CreateHyperParameterTuningJob request as written, echoed by {@code
 *     summary.json}
 */
public record TuningConfig(
        String jobName,
        Strategy strategy,
        Objective objective,
        int maxJobs,
        int maxParallel,
        List<ParameterRange> ranges,
        boolean earlyStopping,
        Hyperband hyperband,
        long randomSeed,
        Map<String, String> staticHyperparameters,
        List<MetricDefinition> metricDefinitions,
        List<Channel> channels,
        String trainingImage,
        long maxRuntimeSeconds,
        Map<String, String> environment,
        List<String> notes,
        JsonNode request) {

    public enum Strategy {
        BAYESIAN,
        RANDOM,
        GRID,
        HYPERBAND
    }

    public record Objective(boolean minimize, String metricName) {
        public String type() {
            return minimize ? "Minimize" : "Maximize";
        }
    }

    public record MetricDefinition(String name, Pattern regex) {}

    /** HyperbandStrategyConfig: the range of the resource (boosting rounds) a trial gets. */
    public record Hyperband(String resource, int minResource, int maxResource) {}

    /** An input channel read from a local folder or file. */
    public record Channel(String name, Path source, String contentType) {}

    public MetricDefinition objectiveDefinition() {
        return metricDefinitions.stream()
                .filter(d -> d.name().equals(objective.metricName()))
                .findFirst()
                .orElseThrow();
    }
}
