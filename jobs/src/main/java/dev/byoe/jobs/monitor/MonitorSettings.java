package dev.byoe.jobs.monitor;

import dev.byoe.core.JobFailure;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Objects;
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
        String source = given(c.datasetSource);
        if (source == null) {
            throw new JobFailure(
                    "dataset_source is not set (environment variable dataset_source or --dataset-source)");
        }
        String outputPath = given(c.outputPath);
        Path output =
                outputPath != null ? Path.of(outputPath) : root.resolve("processing/resultdata");
        Set<String> excluded = new LinkedHashSet<>();
        if (given(c.excludeColumns) != null) {
            Arrays.stream(c.excludeColumns.split(","))
                    .map(String::strip)
                    .filter(s -> !s.isEmpty())
                    .forEach(excluded::add);
        }
        String publish = Objects.requireNonNullElse(given(c.publishCloudwatchMetrics), "Disabled");
        if (!publish.equalsIgnoreCase("Enabled") && !publish.equalsIgnoreCase("Disabled")) {
            throw new JobFailure(
                    "publish_cloudwatch_metrics must be Enabled or Disabled, got '"
                            + publish
                            + "'");
        }
        return new MonitorSettings(
                root,
                Path.of(source),
                DatasetFormat.parse(given(c.datasetFormat)),
                output,
                file(given(c.baselineStatistics), "baseline_statistics", "statistics.json"),
                file(given(c.baselineConstraints), "baseline_constraints", "constraints.json"),
                publish.equalsIgnoreCase("Enabled"),
                time(given(c.startTime), "start_time"),
                time(given(c.endTime), "end_time"),
                given(c.endpointName),
                given(c.scheduleName),
                excluded);
    }

    /** A value the command line or the environment gave; blank counts as not given. */
    private static String given(String value) {
        return value == null || value.isBlank() ? null : value;
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
}
