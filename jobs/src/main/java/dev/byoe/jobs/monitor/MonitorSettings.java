package dev.byoe.jobs.monitor;

import dev.byoe.jobs.contract.JobFailure;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * A monitoring job's settings: the environment Model Monitor hands the container ({@code
 * dataset_format}, {@code dataset_source}, {@code output_path}, {@code baseline_statistics}, {@code
 * baseline_constraints}, {@code publish_cloudwatch_metrics}, {@code start_time}, {@code end_time},
 * {@code sagemaker_endpoint_name}, {@code sagemaker_monitoring_schedule_name}), each overridable by
 * the {@code --flag} of the same name with dashes for local runs.
 */
record MonitorSettings(
        Path root,
        Path source,
        DatasetFormat format,
        Path output,
        Path baselineStatistics,
        Path baselineConstraints,
        boolean publishMetrics,
        Instant start,
        Instant end,
        String endpoint,
        String schedule,
        Set<String> excluded) {
    /** The settings the command line and the environment gave; blank values count as unset. */
    static MonitorSettings of(MonitorCommand c, Path root) {
        Map<String, String> values = new HashMap<>();
        put(values, "dataset_format", c.datasetFormat);
        put(values, "dataset_source", c.datasetSource);
        put(values, "output_path", c.outputPath);
        put(values, "baseline_statistics", c.baselineStatistics);
        put(values, "baseline_constraints", c.baselineConstraints);
        put(values, "publish_cloudwatch_metrics", c.publishCloudwatchMetrics);
        put(values, "start_time", c.startTime);
        put(values, "end_time", c.endTime);
        put(values, "sagemaker_endpoint_name", c.endpointName);
        put(values, "sagemaker_monitoring_schedule_name", c.scheduleName);
        put(values, "exclude_columns", c.excludeColumns);
        String source = values.get("dataset_source");
        if (source == null) {
            throw new JobFailure(
                    "dataset_source is not set (environment variable dataset_source or --dataset-source)");
        }
        Path output =
                Path.of(
                        values.getOrDefault(
                                "output_path", root.resolve("processing/resultdata").toString()));
        Set<String> excluded = new LinkedHashSet<>();
        if (values.containsKey("exclude_columns")) {
            Arrays.stream(values.get("exclude_columns").split(","))
                    .map(String::strip)
                    .filter(s -> !s.isEmpty())
                    .forEach(excluded::add);
        }
        String publish = values.getOrDefault("publish_cloudwatch_metrics", "Disabled");
        if (!publish.equalsIgnoreCase("Enabled") && !publish.equalsIgnoreCase("Disabled")) {
            throw new JobFailure(
                    "publish_cloudwatch_metrics must be Enabled or Disabled, got '"
                            + publish
                            + "'");
        }
        return new MonitorSettings(
                root,
                Path.of(source),
                DatasetFormat.parse(values.get("dataset_format")),
                output,
                file(values.get("baseline_statistics"), "baseline_statistics", "statistics.json"),
                file(
                        values.get("baseline_constraints"),
                        "baseline_constraints",
                        "constraints.json"),
                publish.equalsIgnoreCase("Enabled"),
                time(values.get("start_time"), "start_time"),
                time(values.get("end_time"), "end_time"),
                values.get("sagemaker_endpoint_name"),
                values.get("sagemaker_monitoring_schedule_name"),
                excluded);
    }

    private static void put(Map<String, String> values, String name, String value) {
        if (value != null && !value.isBlank()) {
            values.put(name, value);
        }
    }

    /** A baseline file given as the file or as the folder holding it. */
    private static Path file(String value, String name, String fileName) {
        if (value == null) {
            return null;
        }
        Path p = Path.of(value);
        if (Files.isDirectory(p)) {
            p = p.resolve(fileName);
        }
        if (!Files.isRegularFile(p)) {
            throw new JobFailure(name + " " + p + " does not exist");
        }
        return p;
    }

    private static Instant time(String value, String name) {
        if (value == null) {
            return null;
        }
        try {
            return Instant.parse(value.strip());
        } catch (DateTimeParseException e) {
            throw new JobFailure(
                    name
                            + " '"
                            + value
                            + "' is not an ISO-8601 UTC time such as 2026-11-22T20:00:00Z");
        }
    }

    /** Where SageMaker collects CloudWatch metric records from. */
    Path cloudWatchFolder() {
        return root.resolve("output/metrics/cloudwatch");
    }

    Path failureMessage() {
        return root.resolve("output/message");
    }
}
