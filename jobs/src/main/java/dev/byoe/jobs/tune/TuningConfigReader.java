package dev.byoe.jobs.tune;

import com.fasterxml.jackson.databind.JsonNode;
import dev.byoe.core.Json;
import dev.byoe.jobs.api.ApiShapes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads CreateHyperParameterTuningJob JSON and checks it the way SageMaker checks it when the job
 * is created, so that a config that runs here is not rejected in the cloud. Every problem is
 * collected (field path and reason) before anything runs; fields that only matter in the cloud
 * (role, instance type, output bucket) are accepted and listed as notes; fields whose behaviour is
 * not reproduced locally are rejected rather than silently ignored.
 */
public final class TuningConfigReader {
    /** Hyperband's resource: the boosting rounds every member trains for. */
    public static final String HYPERBAND_RESOURCE = "num_round";

    private static final Pattern JOB_NAME = Pattern.compile("[a-zA-Z0-9](-*[a-zA-Z0-9]){0,31}");

    private final ConfigFindings findings = new ConfigFindings();
    private final List<String> problems = findings.problems;
    private final DefinitionReader definition;

    private TuningConfigReader(Path baseDir) {
        this.definition = new DefinitionReader(findings, baseDir);
    }

    /**
     * Reads {@code file}; relative channel paths are resolved against {@code baseDir} (the working
     * directory).
     */
    public static TuningConfig read(Path file, Path baseDir) throws TuningConfigException {
        if (!Files.isRegularFile(file)) {
            throw new TuningConfigException(List.of("config file " + file + " does not exist"));
        }
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(file.toFile());
        } catch (IOException e) {
            throw new TuningConfigException(
                    List.of(file + ": not readable JSON: " + e.getMessage()));
        }
        return parse(root, baseDir);
    }

    public static TuningConfig parse(JsonNode root, Path baseDir) throws TuningConfigException {
        TuningConfigReader reader = new TuningConfigReader(baseDir);
        reader.checkAgainstApi(root);
        TuningConfig config = reader.parse(root);
        if (!reader.problems.isEmpty()) {
            throw new TuningConfigException(reader.problems);
        }
        return config;
    }

    /**
     * The whole request against CreateHyperParameterTuningJob's input shape in SageMaker's API, so
     * that what runs here is not refused in the cloud. One exception, documented in the README: a
     * channel's {@code S3Uri} may name a local file or folder, which local tuning reads.
     */
    private void checkAgainstApi(JsonNode root) {
        if (root == null || !root.isObject()) {
            return;
        }
        for (String problem :
                ApiShapes.bundled().check("CreateHyperParameterTuningJobRequest", root)) {
            if (ApiShapes.isLocalS3Uri(problem)) {
                findings.notes.add(
                        problem.substring(0, problem.indexOf(':'))
                                + " is a local path: byoe tune reads it "
                                + "(README, Tuning); SageMaker needs an s3:// URI there");
            } else {
                problems.add("SageMaker API: " + problem);
            }
        }
    }

    private TuningConfig parse(JsonNode root) {
        if (root == null || !root.isObject()) {
            problems.add(
                    "the config must be a JSON object with HyperParameterTuningJobName, "
                            + "HyperParameterTuningJobConfig and TrainingJobDefinition");
            return null;
        }
        findings.known(
                root,
                "",
                Set.of(
                        "HyperParameterTuningJobName",
                        "HyperParameterTuningJobConfig",
                        "TrainingJobDefinition"));
        String name = findings.text(root, "HyperParameterTuningJobName", true);
        if (name != null && !JOB_NAME.matcher(name).matches()) {
            problems.add(
                    "HyperParameterTuningJobName '"
                            + name
                            + "' must be 1-32 letters, digits and hyphens, "
                            + "starting and ending with a letter or digit");
        }
        JsonNode hpo = findings.object(root, "HyperParameterTuningJobConfig");
        JsonNode def = findings.object(root, "TrainingJobDefinition");
        if (hpo == null || def == null) {
            return null;
        }
        findings.known(
                hpo,
                "HyperParameterTuningJobConfig.",
                Set.of(
                        "Strategy",
                        "StrategyConfig",
                        "HyperParameterTuningJobObjective",
                        "ResourceLimits",
                        "ParameterRanges",
                        "TrainingJobEarlyStoppingType",
                        "RandomSeed"));
        TuningConfig.Strategy strategy = strategy(findings.text(hpo, "Strategy", true));
        TuningConfig.Objective objective = objective(hpo.get("HyperParameterTuningJobObjective"));
        boolean earlyStopping = earlyStopping(hpo.path("TrainingJobEarlyStoppingType"));
        List<ParameterRange> ranges = new RangesReader(findings).read(hpo.get("ParameterRanges"));
        long seed = hpo.has("RandomSeed") ? hpo.get("RandomSeed").asLong() : 42L;

        findings.known(
                def,
                "TrainingJobDefinition.",
                Set.of(
                        "StaticHyperParameters",
                        "AlgorithmSpecification",
                        "InputDataConfig",
                        "StoppingCondition",
                        "Environment"));
        Map<String, String> statics =
                definition.staticHyperparameters(def.get("StaticHyperParameters"));
        JsonNode algorithm = findings.object(def, "AlgorithmSpecification");
        String image = algorithm == null ? null : findings.text(algorithm, "TrainingImage", false);
        List<TuningConfig.MetricDefinition> metrics =
                algorithm == null ? List.of() : definition.metricDefinitions(algorithm);
        List<TuningConfig.Channel> channels = definition.channels(def.get("InputDataConfig"));
        long maxRuntime = definition.stoppingCondition(def.path("StoppingCondition"));
        Map<String, String> environment = new LinkedHashMap<>();
        def.path("Environment")
                .properties()
                .forEach(e -> environment.put(e.getKey(), e.getValue().asText()));

        checkObjectiveHasDefinition(objective, metrics);
        checkOverlap(ranges, statics);
        TuningConfig.Hyperband hyperband =
                strategyConfig(strategy, hpo.get("StrategyConfig"), ranges, statics, earlyStopping);
        int[] limits = resourceLimits(hpo.get("ResourceLimits"), strategy, ranges);
        checkStrategyRanges(strategy, ranges);
        if (!problems.isEmpty()) {
            return null;
        }
        return new TuningConfig(
                name,
                strategy,
                objective,
                limits[0],
                limits[1],
                ranges,
                earlyStopping,
                hyperband,
                seed,
                statics,
                metrics,
                channels,
                image == null ? "byoe:latest" : image,
                maxRuntime,
                environment,
                List.copyOf(findings.notes),
                root.deepCopy());
    }

    private TuningConfig.Strategy strategy(String s) {
        if (s == null) {
            return null;
        }
        return switch (s) {
            case "Bayesian" -> TuningConfig.Strategy.BAYESIAN;
            case "Random" -> TuningConfig.Strategy.RANDOM;
            case "Grid" -> TuningConfig.Strategy.GRID;
            case "Hyperband" -> TuningConfig.Strategy.HYPERBAND;
            default -> {
                problems.add(
                        "HyperParameterTuningJobConfig.Strategy '"
                                + s
                                + "' is not one of Bayesian, Random, Grid, Hyperband");
                yield null;
            }
        };
    }

    private TuningConfig.Objective objective(JsonNode node) {
        if (node == null || !node.isObject()) {
            problems.add(
                    "HyperParameterTuningJobConfig.HyperParameterTuningJobObjective is required ({\"Type\": "
                            + "\"Minimize\"|\"Maximize\", \"MetricName\": ...})");
            return null;
        }
        findings.known(node, "HyperParameterTuningJobObjective.", Set.of("Type", "MetricName"));
        String type = findings.text(node, "Type", true);
        String metric = findings.text(node, "MetricName", true);
        if (type != null && !type.equals("Minimize") && !type.equals("Maximize")) {
            problems.add(
                    "HyperParameterTuningJobObjective.Type '"
                            + type
                            + "' is not Minimize or Maximize");
            return null;
        }
        return type == null || metric == null
                ? null
                : new TuningConfig.Objective(type.equals("Minimize"), metric);
    }

    private boolean earlyStopping(JsonNode node) {
        if (node.isMissingNode()) {
            return false;
        }
        String v = node.asText();
        if (!v.equals("Off") && !v.equals("Auto")) {
            problems.add(
                    "HyperParameterTuningJobConfig.TrainingJobEarlyStoppingType '"
                            + v
                            + "' is not Off or Auto");
        }
        return v.equals("Auto");
    }

    private void checkObjectiveHasDefinition(
            TuningConfig.Objective objective, List<TuningConfig.MetricDefinition> metrics) {
        if (objective == null) {
            return;
        }
        if (!definition.definedMetrics.contains(objective.metricName())) {
            // SageMaker's own words when the objective has no definition.
            problems.add(
                    "A metric is required for this hyperparameter tuning job objective: HyperParameterTuningJobObjective."
                            + "MetricName '"
                            + objective.metricName()
                            + "' is not among AlgorithmSpecification.MetricDefinitions "
                            + metrics.stream().map(TuningConfig.MetricDefinition::name).toList()
                            + " (byoe prints its definitions with 'metric-definitions')");
        }
    }

    private void checkOverlap(List<ParameterRange> ranges, Map<String, String> statics) {
        for (ParameterRange r : ranges) {
            if (statics.containsKey(r.name())) {
                problems.add(
                        "hyperparameter '"
                                + r.name()
                                + "' is both in StaticHyperParameters and in ParameterRanges");
            }
        }
    }

    private TuningConfig.Hyperband strategyConfig(
            TuningConfig.Strategy strategy,
            JsonNode node,
            List<ParameterRange> ranges,
            Map<String, String> statics,
            boolean earlyStopping) {
        if (strategy != TuningConfig.Strategy.HYPERBAND) {
            if (node != null) {
                problems.add(
                        "HyperParameterTuningJobConfig.StrategyConfig is only for the Hyperband strategy");
            }
            return null;
        }
        if (earlyStopping) {
            problems.add(
                    "TrainingJobEarlyStoppingType must be Off with the Hyperband strategy (Hyperband stops trials itself)");
        }
        JsonNode hb = node == null ? null : node.get("HyperbandStrategyConfig");
        if (hb == null) {
            problems.add(
                    "Hyperband needs StrategyConfig.HyperbandStrategyConfig {MinResource, MaxResource}: the range of "
                            + HYPERBAND_RESOURCE
                            + " (boosting rounds) a trial may get");
            return null;
        }
        findings.known(hb, "HyperbandStrategyConfig.", Set.of("MinResource", "MaxResource"));
        int min = hb.path("MinResource").asInt(1);
        int max = hb.path("MaxResource").asInt(0);
        if (max < 1 || min < 1 || min > max) {
            problems.add(
                    "HyperbandStrategyConfig needs 1 <= MinResource <= MaxResource (got "
                            + min
                            + ", "
                            + max
                            + ")");
        }
        if (ranges.stream().anyMatch(r -> r.name().equals(HYPERBAND_RESOURCE))
                || statics.containsKey(HYPERBAND_RESOURCE)) {
            problems.add(
                    "Hyperband allocates "
                            + HYPERBAND_RESOURCE
                            + " itself (MinResource..MaxResource); remove it from "
                            + "ParameterRanges and StaticHyperParameters");
        }
        return new TuningConfig.Hyperband(HYPERBAND_RESOURCE, min, max);
    }

    private int[] resourceLimits(
            JsonNode node, TuningConfig.Strategy strategy, List<ParameterRange> ranges) {
        if (node == null || !node.isObject()) {
            problems.add(
                    "HyperParameterTuningJobConfig.ResourceLimits is required ({\"MaxParallelTrainingJobs\": n, "
                            + "\"MaxNumberOfTrainingJobs\": n})");
            return new int[] {0, 0};
        }
        findings.known(
                node,
                "ResourceLimits.",
                Set.of(
                        "MaxNumberOfTrainingJobs",
                        "MaxParallelTrainingJobs",
                        "MaxRuntimeInSeconds"));
        int parallel = node.path("MaxParallelTrainingJobs").asInt(0);
        if (parallel < 1) {
            problems.add("ResourceLimits.MaxParallelTrainingJobs must be at least 1");
        }
        if (node.has("MaxRuntimeInSeconds")) {
            findings.notes.add(
                    "ResourceLimits.MaxRuntimeInSeconds is not enforced locally (each trial's StoppingCondition is)");
        }
        if (strategy == TuningConfig.Strategy.GRID) {
            long combinations = 1;
            for (ParameterRange r : ranges) {
                combinations *= r instanceof ParameterRange.Categorical c ? c.values().size() : 1;
            }
            if (node.has("MaxNumberOfTrainingJobs")) {
                findings.notes.add(
                        "Grid runs every combination ("
                                + combinations
                                + "); ResourceLimits.MaxNumberOfTrainingJobs is ignored");
            }
            return new int[] {(int) Math.min(combinations, 10_000), parallel};
        }
        int jobs = node.path("MaxNumberOfTrainingJobs").asInt(0);
        if (jobs < 1) {
            problems.add(
                    "ResourceLimits.MaxNumberOfTrainingJobs must be at least 1 for the "
                            + strategy
                            + " strategy");
        }
        return new int[] {jobs, parallel};
    }

    private void checkStrategyRanges(TuningConfig.Strategy strategy, List<ParameterRange> ranges) {
        if (strategy == TuningConfig.Strategy.GRID) {
            for (ParameterRange r : ranges) {
                if (!(r instanceof ParameterRange.Categorical)) {
                    // SageMaker's grid search takes categorical parameters only; list integers as
                    // categorical values.
                    problems.add(
                            "Grid search takes CategoricalParameterRanges only; '"
                                    + r.name()
                                    + "' is "
                                    + ParameterRange.describe(r)
                                    + " (list its values as a categorical range)");
                }
            }
        }
    }
}
