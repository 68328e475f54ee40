package dev.byoe.train.tune;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.byoe.train.config.HyperparameterSpec;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Reads CreateHyperParameterTuningJob JSON and checks it the way SageMaker checks it when the job
 * is created, so that a config that runs here is not rejected in the cloud. Every problem is
 * collected (field path and reason) before anything runs; fields that only matter in the cloud
 * (role, instance type, output bucket) are accepted and listed as notes; fields whose behaviour
 * is not reproduced locally are rejected rather than silently ignored.
 */
public final class TuningConfigReader {
    /** Hyperband's resource: the boosting rounds every member trains for. */
    public static final String HYPERBAND_RESOURCE = "num_round";

    private static final Set<String> CLOUD_ONLY = Set.of("RoleArn", "OutputDataConfig", "ResourceConfig", "VpcConfig",
            "EnableNetworkIsolation", "EnableInterContainerTrafficEncryption", "EnableManagedSpotTraining",
            "CheckpointConfig", "RetryStrategy", "DefinitionName", "Tags", "HyperParameterTuningResourceConfig",
            "MaxWaitTimeInSeconds", "MaxPendingTimeInSeconds");
    private static final Pattern JOB_NAME = Pattern.compile("[a-zA-Z0-9](-*[a-zA-Z0-9]){0,31}");

    private final List<String> problems = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();
    /** Names of every metric definition given, valid or not, so a bad regex is reported once. */
    private final Set<String> definedMetrics = new HashSet<>();
    private final Path baseDir;

    private TuningConfigReader(Path baseDir) {
        this.baseDir = baseDir;
    }

    /** Reads {@code file}; relative channel paths are resolved against {@code baseDir} (the working directory). */
    public static TuningConfig read(Path file, Path baseDir) throws TuningConfigException {
        if (!Files.isRegularFile(file)) {
            throw new TuningConfigException(List.of("config file " + file + " does not exist"));
        }
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(file.toFile());
        } catch (IOException e) {
            throw new TuningConfigException(List.of(file + ": not readable JSON: " + e.getMessage()));
        }
        return parse(root, baseDir);
    }

    public static TuningConfig parse(JsonNode root, Path baseDir) throws TuningConfigException {
        TuningConfigReader reader = new TuningConfigReader(baseDir);
        TuningConfig config = reader.parse(root);
        if (!reader.problems.isEmpty()) {
            throw new TuningConfigException(reader.problems);
        }
        return config;
    }

    private TuningConfig parse(JsonNode root) {
        if (root == null || !root.isObject()) {
            problems.add("the config must be a JSON object with HyperParameterTuningJobName, "
                    + "HyperParameterTuningJobConfig and TrainingJobDefinition");
            return null;
        }
        known(root, "", Set.of("HyperParameterTuningJobName", "HyperParameterTuningJobConfig", "TrainingJobDefinition"));
        String name = text(root, "HyperParameterTuningJobName", true);
        if (name != null && !JOB_NAME.matcher(name).matches()) {
            problems.add("HyperParameterTuningJobName '" + name + "' must be 1-32 letters, digits and hyphens, "
                    + "starting and ending with a letter or digit");
        }
        JsonNode hpo = object(root, "HyperParameterTuningJobConfig");
        JsonNode def = object(root, "TrainingJobDefinition");
        if (hpo == null || def == null) {
            return null;
        }
        known(hpo, "HyperParameterTuningJobConfig.", Set.of("Strategy", "StrategyConfig", "HyperParameterTuningJobObjective",
                "ResourceLimits", "ParameterRanges", "TrainingJobEarlyStoppingType", "RandomSeed"));
        TuningConfig.Strategy strategy = strategy(text(hpo, "Strategy", true));
        TuningConfig.Objective objective = objective(hpo.get("HyperParameterTuningJobObjective"));
        boolean earlyStopping = earlyStopping(hpo.path("TrainingJobEarlyStoppingType"));
        List<ParameterRange> ranges = ranges(hpo.get("ParameterRanges"));
        long seed = hpo.has("RandomSeed") ? hpo.get("RandomSeed").asLong() : 42L;

        known(def, "TrainingJobDefinition.", Set.of("StaticHyperParameters", "AlgorithmSpecification", "InputDataConfig",
                "StoppingCondition", "Environment"));
        Map<String, String> statics = staticHyperparameters(def.get("StaticHyperParameters"));
        JsonNode algorithm = object(def, "AlgorithmSpecification");
        String image = algorithm == null ? null : text(algorithm, "TrainingImage", false);
        List<TuningConfig.MetricDefinition> metrics = algorithm == null ? List.of() : metricDefinitions(algorithm);
        List<TuningConfig.Channel> channels = channels(def.get("InputDataConfig"));
        long maxRuntime = stoppingCondition(def.path("StoppingCondition"));
        Map<String, String> environment = new LinkedHashMap<>();
        def.path("Environment").properties().forEach(e -> environment.put(e.getKey(), e.getValue().asText()));

        checkObjectiveHasDefinition(objective, metrics);
        checkOverlap(ranges, statics);
        TuningConfig.Hyperband hyperband = strategyConfig(strategy, hpo.get("StrategyConfig"), ranges, statics, earlyStopping);
        int[] limits = resourceLimits(hpo.get("ResourceLimits"), strategy, ranges);
        checkStrategyRanges(strategy, ranges);
        if (!problems.isEmpty()) {
            return null;
        }
        return new TuningConfig(name, strategy, objective, limits[0], limits[1], ranges, earlyStopping, hyperband, seed,
                statics, metrics, channels, image == null ? "byoe:latest" : image, maxRuntime, environment, List.copyOf(notes));
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
                problems.add("HyperParameterTuningJobConfig.Strategy '" + s + "' is not one of Bayesian, Random, Grid, Hyperband");
                yield null;
            }
        };
    }

    private TuningConfig.Objective objective(JsonNode node) {
        if (node == null || !node.isObject()) {
            problems.add("HyperParameterTuningJobConfig.HyperParameterTuningJobObjective is required ({\"Type\": "
                    + "\"Minimize\"|\"Maximize\", \"MetricName\": ...})");
            return null;
        }
        known(node, "HyperParameterTuningJobObjective.", Set.of("Type", "MetricName"));
        String type = text(node, "Type", true);
        String metric = text(node, "MetricName", true);
        if (type != null && !type.equals("Minimize") && !type.equals("Maximize")) {
            problems.add("HyperParameterTuningJobObjective.Type '" + type + "' is not Minimize or Maximize");
            return null;
        }
        return type == null || metric == null ? null : new TuningConfig.Objective(type.equals("Minimize"), metric);
    }

    private boolean earlyStopping(JsonNode node) {
        if (node.isMissingNode()) {
            return false;
        }
        String v = node.asText();
        if (!v.equals("Off") && !v.equals("Auto")) {
            problems.add("HyperParameterTuningJobConfig.TrainingJobEarlyStoppingType '" + v + "' is not Off or Auto");
        }
        return v.equals("Auto");
    }

    private List<ParameterRange> ranges(JsonNode node) {
        List<ParameterRange> out = new ArrayList<>();
        if (node == null || !node.isObject()) {
            problems.add("HyperParameterTuningJobConfig.ParameterRanges is required: at least one of "
                    + "IntegerParameterRanges, ContinuousParameterRanges, CategoricalParameterRanges");
            return out;
        }
        known(node, "ParameterRanges.", Set.of("IntegerParameterRanges", "ContinuousParameterRanges", "CategoricalParameterRanges"));
        for (JsonNode r : node.path("IntegerParameterRanges")) {
            String where = "IntegerParameterRanges[" + text(r, "Name", true) + "]";
            known(r, where + ".", Set.of("Name", "MinValue", "MaxValue", "ScalingType"));
            Long min = integer(r, where, "MinValue");
            Long max = integer(r, where, "MaxValue");
            Scaling scaling = scaling(r, where);
            if (min == null || max == null || scaling == null || r.path("Name").asText().isEmpty()) {
                continue;
            }
            if (checkBounds(where, min, max, scaling, false)) {
                out.add(new ParameterRange.Integer(r.get("Name").asText(), min, max, scaling));
            }
        }
        for (JsonNode r : node.path("ContinuousParameterRanges")) {
            String where = "ContinuousParameterRanges[" + text(r, "Name", true) + "]";
            known(r, where + ".", Set.of("Name", "MinValue", "MaxValue", "ScalingType"));
            Double min = number(r, where, "MinValue");
            Double max = number(r, where, "MaxValue");
            Scaling scaling = scaling(r, where);
            if (min == null || max == null || scaling == null || r.path("Name").asText().isEmpty()) {
                continue;
            }
            if (checkBounds(where, min, max, scaling, true)) {
                out.add(new ParameterRange.Continuous(r.get("Name").asText(), min, max, scaling));
            }
        }
        for (JsonNode r : node.path("CategoricalParameterRanges")) {
            String where = "CategoricalParameterRanges[" + text(r, "Name", true) + "]";
            known(r, where + ".", Set.of("Name", "Values"));
            List<String> values = new ArrayList<>();
            r.path("Values").forEach(v -> values.add(v.asText()));
            if (values.isEmpty()) {
                problems.add(where + ".Values must hold at least one value");
            } else if (values.size() > 30) {
                problems.add(where + ".Values has " + values.size() + " values; SageMaker allows at most 30");
            } else if (new HashSet<>(values).size() != values.size()) {
                problems.add(where + ".Values has duplicates: " + values);
            } else if (!r.path("Name").asText().isEmpty()) {
                out.add(new ParameterRange.Categorical(r.get("Name").asText(), List.copyOf(values)));
            }
        }
        Set<String> names = new HashSet<>();
        for (ParameterRange r : out) {
            if (!names.add(r.name())) {
                problems.add("ParameterRanges: hyperparameter '" + r.name() + "' has more than one range");
            }
            if (r.name().equals(HyperparameterSpec.TUNING_OBJECTIVE)) {
                problems.add("ParameterRanges: " + r.name() + " is set by the tuning job itself");
            }
        }
        if (out.isEmpty() && problems.isEmpty()) {
            problems.add("ParameterRanges holds no range; a tuning job needs at least one hyperparameter to search");
        }
        if (out.size() > 30) {
            problems.add("ParameterRanges has " + out.size() + " hyperparameters; SageMaker allows at most 30");
        }
        return out;
    }

    private boolean checkBounds(String where, double min, double max, Scaling scaling, boolean continuous) {
        if (min > max) {
            problems.add(where + ": MinValue " + min + " is greater than MaxValue " + max);
            return false;
        }
        if (scaling == Scaling.LOGARITHMIC && min <= 0) {
            problems.add(where + ": Logarithmic scaling needs MinValue > 0 (got " + min + ")");
            return false;
        }
        if (scaling == Scaling.REVERSE_LOGARITHMIC && !continuous) {
            problems.add(where + ": ReverseLogarithmic scaling is only for continuous ranges");
            return false;
        }
        if (scaling == Scaling.REVERSE_LOGARITHMIC && (min < 0 || max >= 1)) {
            problems.add(where + ": ReverseLogarithmic scaling needs 0 <= MinValue and MaxValue < 1 (got [" + min + ", " + max + "])");
            return false;
        }
        return true;
    }

    private Scaling scaling(JsonNode r, String where) {
        String s = r.path("ScalingType").asText("Auto");
        try {
            return Scaling.fromSageMaker(s);
        } catch (IllegalArgumentException e) {
            problems.add(where + ": " + e.getMessage());
            return null;
        }
    }

    private Long integer(JsonNode r, String where, String field) {
        String v = text(r, field, true, where + ".");
        try {
            return v == null ? null : Long.parseLong(v.strip());
        } catch (NumberFormatException e) {
            problems.add(where + "." + field + " '" + v + "' is not an integer");
            return null;
        }
    }

    private Double number(JsonNode r, String where, String field) {
        String v = text(r, field, true, where + ".");
        try {
            double d = v == null ? Double.NaN : Double.parseDouble(v.strip());
            if (v != null && !Double.isFinite(d)) {
                throw new NumberFormatException();
            }
            return v == null ? null : d;
        } catch (NumberFormatException e) {
            problems.add(where + "." + field + " '" + v + "' is not a finite number");
            return null;
        }
    }

    private Map<String, String> staticHyperparameters(JsonNode node) {
        Map<String, String> out = new LinkedHashMap<>();
        if (node == null) {
            return out;
        }
        node.properties().forEach(e -> {
            if (!e.getValue().isTextual()) {
                problems.add("TrainingJobDefinition.StaticHyperParameters." + e.getKey() + " must be a string (SageMaker "
                        + "passes every hyperparameter as a string); got " + e.getValue());
            } else if (e.getKey().equals(HyperparameterSpec.TUNING_OBJECTIVE)) {
                problems.add("TrainingJobDefinition.StaticHyperParameters." + e.getKey() + " is set by the tuning job itself");
            } else {
                out.put(e.getKey(), e.getValue().asText());
            }
        });
        return out;
    }

    private List<TuningConfig.MetricDefinition> metricDefinitions(JsonNode algorithm) {
        known(algorithm, "AlgorithmSpecification.", Set.of("TrainingImage", "TrainingInputMode", "MetricDefinitions",
                "EnableSageMakerMetricsTimeSeries"));
        String mode = algorithm.path("TrainingInputMode").asText("File");
        if (!mode.equals("File")) {
            notes.add("AlgorithmSpecification.TrainingInputMode " + mode + ": local trials read their channels as File mode");
        }
        List<TuningConfig.MetricDefinition> out = new ArrayList<>();
        Set<String> names = new HashSet<>();
        JsonNode defs = algorithm.path("MetricDefinitions");
        if (defs.size() > 40) {
            problems.add("AlgorithmSpecification.MetricDefinitions has " + defs.size() + " entries; SageMaker allows at most 40");
        }
        for (JsonNode d : defs) {
            String name = text(d, "Name", true, "MetricDefinitions[].");
            String regex = text(d, "Regex", true, "MetricDefinitions[" + name + "].");
            if (name == null || regex == null) {
                continue;
            }
            String where = "MetricDefinitions[" + name + "].Regex";
            definedMetrics.add(name);
            if (!names.add(name)) {
                problems.add("MetricDefinitions: name '" + name + "' is defined twice");
            }
            if (regex.length() > 500) {
                problems.add(where + " is " + regex.length() + " characters; SageMaker allows at most 500");
            }
            try {
                Pattern p = Pattern.compile(regex);
                if (p.matcher("").groupCount() < 1) {
                    problems.add(where + " '" + regex + "' has no capture group; SageMaker reads the value from the first group, "
                            + "e.g. 'validation-rmse:([0-9\\.]+)'");
                } else {
                    out.add(new TuningConfig.MetricDefinition(name, p));
                }
            } catch (PatternSyntaxException e) {
                problems.add(where + " '" + regex + "' does not compile: " + e.getDescription() + " at index " + e.getIndex());
            }
        }
        return out;
    }

    private List<TuningConfig.Channel> channels(JsonNode node) {
        List<TuningConfig.Channel> out = new ArrayList<>();
        if (node == null || !node.isArray() || node.isEmpty()) {
            problems.add("TrainingJobDefinition.InputDataConfig must list at least one channel (e.g. 'train')");
            return out;
        }
        Set<String> names = new HashSet<>();
        for (JsonNode c : node) {
            String name = text(c, "ChannelName", true, "InputDataConfig[].");
            if (name == null) {
                continue;
            }
            String where = "InputDataConfig[" + name + "]";
            known(c, where + ".", Set.of("ChannelName", "ContentType", "CompressionType", "DataSource", "InputMode",
                    "RecordWrapperType", "ShuffleConfig"));
            if (!names.add(name)) {
                problems.add(where + ": channel defined twice");
            }
            JsonNode s3 = c.path("DataSource").path("S3DataSource");
            if (!c.path("DataSource").path("FileSystemDataSource").isMissingNode()) {
                problems.add(where + ".DataSource.FileSystemDataSource is not supported locally; use S3DataSource.S3Uri "
                        + "with a local path or file:// URI");
                continue;
            }
            String uri = text(s3, "S3Uri", true, where + ".DataSource.S3DataSource.");
            Path source = uri == null ? null : localPath(where, uri);
            if (source != null) {
                out.add(new TuningConfig.Channel(name, source, c.path("ContentType").asText("text/csv")));
            }
        }
        return out;
    }

    private Path localPath(String where, String uri) {
        if (uri.startsWith("s3://")) {
            problems.add(where + ".DataSource.S3DataSource.S3Uri '" + uri + "': local tuning reads local data; "
                    + "give a folder or file path (or a file:// URI) instead of s3://");
            return null;
        }
        Path p = uri.startsWith("file:") ? Path.of(URI.create(uri)) : baseDir.resolve(uri);
        if (!Files.exists(p)) {
            problems.add(where + ".DataSource.S3DataSource.S3Uri '" + uri + "': " + p.toAbsolutePath().normalize() + " does not exist");
            return null;
        }
        return p.toAbsolutePath().normalize();
    }

    private long stoppingCondition(JsonNode node) {
        if (node.isMissingNode()) {
            return 0;
        }
        known(node, "StoppingCondition.", Set.of("MaxRuntimeInSeconds"));
        return node.path("MaxRuntimeInSeconds").asLong(0);
    }

    private void checkObjectiveHasDefinition(TuningConfig.Objective objective, List<TuningConfig.MetricDefinition> metrics) {
        if (objective == null) {
            return;
        }
        if (!definedMetrics.contains(objective.metricName())) {
            // SageMaker's own words when the objective has no definition.
            problems.add("A metric is required for this hyperparameter tuning job objective: HyperParameterTuningJobObjective."
                    + "MetricName '" + objective.metricName() + "' is not among AlgorithmSpecification.MetricDefinitions "
                    + metrics.stream().map(TuningConfig.MetricDefinition::name).toList()
                    + " (byoe prints its definitions with 'metric-definitions')");
        }
    }

    private void checkOverlap(List<ParameterRange> ranges, Map<String, String> statics) {
        for (ParameterRange r : ranges) {
            if (statics.containsKey(r.name())) {
                problems.add("hyperparameter '" + r.name() + "' is both in StaticHyperParameters and in ParameterRanges");
            }
        }
    }

    private TuningConfig.Hyperband strategyConfig(TuningConfig.Strategy strategy, JsonNode node, List<ParameterRange> ranges,
                                                   Map<String, String> statics, boolean earlyStopping) {
        if (strategy != TuningConfig.Strategy.HYPERBAND) {
            if (node != null) {
                problems.add("HyperParameterTuningJobConfig.StrategyConfig is only for the Hyperband strategy");
            }
            return null;
        }
        if (earlyStopping) {
            problems.add("TrainingJobEarlyStoppingType must be Off with the Hyperband strategy (Hyperband stops trials itself)");
        }
        JsonNode hb = node == null ? null : node.get("HyperbandStrategyConfig");
        if (hb == null) {
            problems.add("Hyperband needs StrategyConfig.HyperbandStrategyConfig {MinResource, MaxResource}: the range of "
                    + HYPERBAND_RESOURCE + " (boosting rounds) a trial may get");
            return null;
        }
        known(hb, "HyperbandStrategyConfig.", Set.of("MinResource", "MaxResource"));
        int min = hb.path("MinResource").asInt(1);
        int max = hb.path("MaxResource").asInt(0);
        if (max < 1 || min < 1 || min > max) {
            problems.add("HyperbandStrategyConfig needs 1 <= MinResource <= MaxResource (got " + min + ", " + max + ")");
        }
        if (ranges.stream().anyMatch(r -> r.name().equals(HYPERBAND_RESOURCE)) || statics.containsKey(HYPERBAND_RESOURCE)) {
            problems.add("Hyperband allocates " + HYPERBAND_RESOURCE + " itself (MinResource..MaxResource); remove it from "
                    + "ParameterRanges and StaticHyperParameters");
        }
        return new TuningConfig.Hyperband(HYPERBAND_RESOURCE, min, max);
    }

    private int[] resourceLimits(JsonNode node, TuningConfig.Strategy strategy, List<ParameterRange> ranges) {
        if (node == null || !node.isObject()) {
            problems.add("HyperParameterTuningJobConfig.ResourceLimits is required ({\"MaxParallelTrainingJobs\": n, "
                    + "\"MaxNumberOfTrainingJobs\": n})");
            return new int[] {0, 0};
        }
        known(node, "ResourceLimits.", Set.of("MaxNumberOfTrainingJobs", "MaxParallelTrainingJobs", "MaxRuntimeInSeconds"));
        int parallel = node.path("MaxParallelTrainingJobs").asInt(0);
        if (parallel < 1) {
            problems.add("ResourceLimits.MaxParallelTrainingJobs must be at least 1");
        }
        if (node.has("MaxRuntimeInSeconds")) {
            notes.add("ResourceLimits.MaxRuntimeInSeconds is not enforced locally (each trial's StoppingCondition is)");
        }
        if (strategy == TuningConfig.Strategy.GRID) {
            long combinations = 1;
            for (ParameterRange r : ranges) {
                combinations *= r instanceof ParameterRange.Categorical c ? c.values().size() : 1;
            }
            if (node.has("MaxNumberOfTrainingJobs")) {
                notes.add("Grid runs every combination (" + combinations + "); ResourceLimits.MaxNumberOfTrainingJobs is ignored");
            }
            return new int[] {(int) Math.min(combinations, 10_000), parallel};
        }
        int jobs = node.path("MaxNumberOfTrainingJobs").asInt(0);
        if (jobs < 1) {
            problems.add("ResourceLimits.MaxNumberOfTrainingJobs must be at least 1 for the " + strategy + " strategy");
        }
        return new int[] {jobs, parallel};
    }

    private void checkStrategyRanges(TuningConfig.Strategy strategy, List<ParameterRange> ranges) {
        if (strategy == TuningConfig.Strategy.GRID) {
            for (ParameterRange r : ranges) {
                if (!(r instanceof ParameterRange.Categorical)) {
                    // SageMaker's grid search takes categorical parameters only; list integers as categorical values.
                    problems.add("Grid search takes CategoricalParameterRanges only; '" + r.name() + "' is "
                            + ParameterRange.describe(r) + " (list its values as a categorical range)");
                }
            }
        }
    }

    private void known(JsonNode node, String where, Set<String> fields) {
        if (node == null || !node.isObject()) {
            return;
        }
        for (String f : (Iterable<String>) node::fieldNames) {
            if (CLOUD_ONLY.contains(f)) {
                notes.add(where + f + " only matters in the cloud; ignored locally");
            } else if (!fields.contains(f)) {
                problems.add(where + f + " is not supported by local tuning (supported here: " + fields + ")");
            }
        }
    }

    private JsonNode object(JsonNode parent, String field) {
        JsonNode n = parent.get(field);
        if (n == null || !n.isObject()) {
            problems.add(field + " is required and must be a JSON object");
            return null;
        }
        return n;
    }

    private String text(JsonNode node, String field, boolean required) {
        return text(node, field, required, "");
    }

    private String text(JsonNode node, String field, boolean required, String where) {
        JsonNode v = node == null ? null : node.get(field);
        if (v == null || v.isNull() || v.asText().isEmpty()) {
            if (required) {
                problems.add(where + field + " is required");
            }
            return null;
        }
        return v.asText();
    }
}
