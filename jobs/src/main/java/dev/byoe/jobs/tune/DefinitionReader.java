package dev.byoe.jobs.tune;

import com.fasterxml.jackson.databind.JsonNode;
import dev.byoe.jobs.train.config.HyperparameterSpec;
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
 * Reads the parts of {@code TrainingJobDefinition} every trial shares: static hyperparameters,
 * metric definitions, input channels (local paths in place of S3) and the stopping condition.
 */
final class DefinitionReader {
    private final ConfigFindings findings;
    private final List<String> problems;
    private final List<String> notes;
    private final Path baseDir;

    /** Names of every metric definition given, valid or not, so a bad regex is reported once. */
    final Set<String> definedMetrics = new HashSet<>();

    DefinitionReader(ConfigFindings findings, Path baseDir) {
        this.findings = findings;
        this.problems = findings.problems;
        this.notes = findings.notes;
        this.baseDir = baseDir;
    }

    Map<String, String> staticHyperparameters(JsonNode node) {
        Map<String, String> out = new LinkedHashMap<>();
        if (node == null) {
            return out;
        }
        node.properties()
                .forEach(
                        e -> {
                            if (!e.getValue().isTextual()) {
                                problems.add(
                                        "TrainingJobDefinition.StaticHyperParameters."
                                                + e.getKey()
                                                + " must be a string (SageMaker "
                                                + "passes every hyperparameter as a string); got "
                                                + e.getValue());
                            } else if (e.getKey().equals(HyperparameterSpec.TUNING_OBJECTIVE)) {
                                problems.add(
                                        "TrainingJobDefinition.StaticHyperParameters."
                                                + e.getKey()
                                                + " is set by the tuning job itself");
                            } else {
                                out.put(e.getKey(), e.getValue().asText());
                            }
                        });
        return out;
    }

    List<TuningConfig.MetricDefinition> metricDefinitions(JsonNode algorithm) {
        findings.known(
                algorithm,
                "AlgorithmSpecification.",
                Set.of(
                        "TrainingImage",
                        "TrainingInputMode",
                        "MetricDefinitions",
                        "EnableSageMakerMetricsTimeSeries"));
        String mode = algorithm.path("TrainingInputMode").asText("File");
        if (!mode.equals("File")) {
            notes.add(
                    "AlgorithmSpecification.TrainingInputMode "
                            + mode
                            + ": local trials read their channels as File mode");
        }
        List<TuningConfig.MetricDefinition> out = new ArrayList<>();
        Set<String> names = new HashSet<>();
        JsonNode defs = algorithm.path("MetricDefinitions");
        if (defs.size() > 40) {
            problems.add(
                    "AlgorithmSpecification.MetricDefinitions has "
                            + defs.size()
                            + " entries; SageMaker allows at most 40");
        }
        for (JsonNode d : defs) {
            String name = findings.text(d, "Name", true, "MetricDefinitions[].");
            String regex = findings.text(d, "Regex", true, "MetricDefinitions[" + name + "].");
            if (name == null || regex == null) {
                continue;
            }
            String where = "MetricDefinitions[" + name + "].Regex";
            definedMetrics.add(name);
            if (!names.add(name)) {
                problems.add("MetricDefinitions: name '" + name + "' is defined twice");
            }
            if (regex.length() > 500) {
                problems.add(
                        where
                                + " is "
                                + regex.length()
                                + " characters; SageMaker allows at most 500");
            }
            try {
                Pattern p = Pattern.compile(regex);
                if (p.matcher("").groupCount() < 1) {
                    problems.add(
                            where
                                    + " '"
                                    + regex
                                    + "' has no capture group; SageMaker reads the value from the first group, "
                                    + "e.g. 'validation-rmse:([0-9\\.]+)'");
                } else {
                    out.add(new TuningConfig.MetricDefinition(name, p));
                }
            } catch (PatternSyntaxException e) {
                problems.add(
                        where
                                + " '"
                                + regex
                                + "' does not compile: "
                                + e.getDescription()
                                + " at index "
                                + e.getIndex());
            }
        }
        return out;
    }

    List<TuningConfig.Channel> channels(JsonNode node) {
        List<TuningConfig.Channel> out = new ArrayList<>();
        if (node == null || !node.isArray() || node.isEmpty()) {
            problems.add(
                    "TrainingJobDefinition.InputDataConfig must list at least one channel (e.g. 'train')");
            return out;
        }
        Set<String> names = new HashSet<>();
        for (JsonNode c : node) {
            String name = findings.text(c, "ChannelName", true, "InputDataConfig[].");
            if (name == null) {
                continue;
            }
            String where = "InputDataConfig[" + name + "]";
            findings.known(
                    c,
                    where + ".",
                    Set.of(
                            "ChannelName",
                            "ContentType",
                            "CompressionType",
                            "DataSource",
                            "InputMode",
                            "RecordWrapperType",
                            "ShuffleConfig"));
            if (!names.add(name)) {
                problems.add(where + ": channel defined twice");
            }
            JsonNode s3 = c.path("DataSource").path("S3DataSource");
            if (!c.path("DataSource").path("FileSystemDataSource").isMissingNode()) {
                problems.add(
                        where
                                + ".DataSource.FileSystemDataSource is not supported locally; use S3DataSource.S3Uri "
                                + "with a local path or file:// URI");
                continue;
            }
            String uri = findings.text(s3, "S3Uri", true, where + ".DataSource.S3DataSource.");
            Path source = uri == null ? null : localPath(where, uri);
            if (source != null) {
                out.add(
                        new TuningConfig.Channel(
                                name, source, c.path("ContentType").asText("text/csv")));
            }
        }
        return out;
    }

    private Path localPath(String where, String uri) {
        if (uri.startsWith("s3://")) {
            problems.add(
                    where
                            + ".DataSource.S3DataSource.S3Uri '"
                            + uri
                            + "': local tuning reads local data; "
                            + "give a folder or file path (or a file:// URI) instead of s3://");
            return null;
        }
        Path p = uri.startsWith("file:") ? Path.of(URI.create(uri)) : baseDir.resolve(uri);
        if (!Files.exists(p)) {
            problems.add(
                    where
                            + ".DataSource.S3DataSource.S3Uri '"
                            + uri
                            + "': "
                            + p.toAbsolutePath().normalize()
                            + " does not exist");
            return null;
        }
        return p.toAbsolutePath().normalize();
    }

    long stoppingCondition(JsonNode node) {
        if (node.isMissingNode()) {
            return 0;
        }
        findings.known(node, "StoppingCondition.", Set.of("MaxRuntimeInSeconds"));
        return node.path("MaxRuntimeInSeconds").asLong(0);
    }
}
