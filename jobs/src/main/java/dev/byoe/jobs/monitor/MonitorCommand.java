package dev.byoe.jobs.monitor;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.byoe.core.JobFailure;
import dev.byoe.core.Json;
import dev.byoe.jobs.contract.FailureFile;
import dev.byoe.jobs.contract.JobCommand;
import dev.byoe.jobs.contract.MlPaths;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code byoe monitor baseline|analyze}: a Model Monitor processing job. {@code baseline} writes
 * {@code statistics.json} and {@code constraints.json} of a dataset; {@code analyze} writes the
 * current data's {@code statistics.json}, {@code constraint_violations.json} and CloudWatch metric
 * records. Both write {@code report.html}. Plain {@code monitor} analyzes when {@code
 * baseline_constraints} is set, else baselines (a schedule's container needs one argument list). A
 * failure writes {@code /opt/ml/output/message} and exits non-zero; violations do not.
 */
@Command(
        name = "monitor",
        sortOptions = false,
        description = {
            "A Model Monitor processing job. baseline: statistics.json and constraints.json of a"
                    + " dataset; analyze: the current data's statistics, constraint_violations.json"
                    + " and CloudWatch metric records. Without a mode it analyzes when"
                    + " baseline_constraints is set, else baselines.",
            "Each option defaults to the environment variable Model Monitor sets, named as the"
                    + " option with underscores (dataset_source, output_path, ...)."
        })
public final class MonitorCommand implements Callable<Integer>, JobCommand {
    /** {@code analyze}'s counts, for a pipeline's condition. */
    public static final String SUMMARY = "monitoring_summary.json";

    enum Mode {
        baseline,
        analyze
    }

    @Parameters(arity = "0..1", paramLabel = "baseline|analyze", description = "the mode")
    Mode mode;

    @Option(
            names = "--dataset-source",
            paramLabel = "PATH",
            defaultValue = "${env:dataset_source}",
            description = "file or folder of CSV, JSON Lines or captured JSONL (required)")
    String datasetSource;

    @Option(
            names = "--dataset-format",
            paramLabel = "JSON",
            defaultValue = "${env:dataset_format}",
            description =
                    "{\"csv\": {\"header\": true}}, {\"json\": {\"line\": true}} or"
                            + " {\"sagemakerCaptureJson\": {}}")
    String datasetFormat;

    @Option(
            names = "--output-path",
            paramLabel = "PATH",
            defaultValue = "${env:output_path}",
            description = "default $BYOE_ML_ROOT (else /opt/ml)/processing/resultdata")
    String outputPath;

    @Option(
            names = "--baseline-statistics",
            paramLabel = "PATH",
            defaultValue = "${env:baseline_statistics}",
            description = "statistics.json (or its folder) of the baseline, for drift")
    String baselineStatistics;

    @Option(
            names = "--baseline-constraints",
            paramLabel = "PATH",
            defaultValue = "${env:baseline_constraints}",
            description = "constraints.json (or its folder) of the baseline")
    String baselineConstraints;

    @Option(
            names = "--publish-cloudwatch-metrics",
            paramLabel = "Enabled|Disabled",
            defaultValue = "${env:publish_cloudwatch_metrics}")
    String publishCloudwatchMetrics;

    @Option(
            names = "--start-time",
            paramLabel = "TIME",
            defaultValue = "${env:start_time}",
            description = "ISO-8601 UTC; captured records before it are skipped")
    String startTime;

    @Option(
            names = "--end-time",
            paramLabel = "TIME",
            defaultValue = "${env:end_time}",
            description = "ISO-8601 UTC; captured records after it are skipped")
    String endTime;

    @Option(
            names = "--sagemaker-endpoint-name",
            paramLabel = "NAME",
            defaultValue = "${env:sagemaker_endpoint_name}",
            description = "metric dimension")
    String endpointName;

    @Option(
            names = "--sagemaker-monitoring-schedule-name",
            paramLabel = "NAME",
            defaultValue = "${env:sagemaker_monitoring_schedule_name}",
            description = "metric dimension")
    String scheduleName;

    @Option(
            names = "--exclude-columns",
            paramLabel = "A,B",
            defaultValue = "${env:exclude_columns}",
            description = "columns left out (such as the label of training rows)")
    String excludeColumns;

    @Override
    public Integer call() {
        MlPaths paths = MlPaths.fromEnvironment(System.getenv());
        PrintStream out = System.out;
        PrintStream log = System.err;
        try {
            MonitorSettings settings = MonitorSettings.of(this, paths.root());
            Mode chosen =
                    mode != null
                            ? mode
                            : settings.baselineConstraints() != null ? Mode.analyze : Mode.baseline;
            Files.createDirectories(settings.output());
            return chosen == Mode.baseline
                    ? baseline(settings, out, log)
                    : analyze(settings, out, log);
        } catch (Exception e) {
            return FailureFile.processingJobFailed("monitor", e, paths.processingMessage(), log);
        }
    }

    @Override
    public int refuse(String reason) {
        return FailureFile.processingJobFailed(
                "monitor",
                new JobFailure(reason),
                MlPaths.fromEnvironment(System.getenv()).processingMessage(),
                System.err);
    }

    private static int baseline(MonitorSettings settings, PrintStream out, PrintStream log)
            throws IOException {
        ReadProblems problems = new ReadProblems();
        DatasetProfile profile = profile(settings, List.of(), problems, log);
        write(settings.output().resolve("statistics.json"), StatisticsFile.of(profile));
        write(
                settings.output().resolve("constraints.json"),
                ConstraintsFile.suggest(profile, MonitoringConfig.DEFAULT));
        List<HtmlReport.FeatureView> views = new ArrayList<>();
        for (FeatureProfile f : profile.features()) {
            views.add(
                    new HtmlReport.FeatureView(
                            f.name, f.inferredType().name(), f.distribution(), null, null));
        }
        HtmlReport.write(
                settings.output().resolve("report.html"),
                "byoe baseline",
                facts(settings, profile, problems),
                views,
                null);
        out.println(
                "byoe monitor baseline: "
                        + profile.items()
                        + " rows, "
                        + profile.features().size()
                        + " features -> "
                        + settings.output());
        return 0;
    }

    private static int analyze(MonitorSettings settings, PrintStream out, PrintStream log)
            throws IOException {
        if (settings.baselineConstraints() == null) {
            throw new JobFailure(
                    "analyze needs baseline_constraints (environment variable or --baseline-constraints)");
        }
        ConstraintsFile.Constraints constraints =
                ConstraintsFile.read(settings.baselineConstraints());
        Map<String, StatisticsFile.Feature> baseline =
                settings.baselineStatistics() == null
                        ? Map.of()
                        : StatisticsFile.read(settings.baselineStatistics());
        if (baseline.isEmpty()) {
            log.println("byoe monitor: no baseline_statistics given, so no baseline_drift_check");
        }
        ReadProblems problems = new ReadProblems();
        DatasetProfile current =
                profile(settings, new ArrayList<>(constraints.features().keySet()), problems, log);
        write(settings.output().resolve("statistics.json"), StatisticsFile.of(current));
        ConstraintChecker checker = new ConstraintChecker(constraints, baseline);
        List<Violation> violations = checker.check(current);
        write(settings.output().resolve("constraint_violations.json"), violationsJson(violations));
        if (settings.publishMetrics() && constraints.config().emitMetrics()) {
            int records =
                    CloudWatchMetrics.write(
                            settings.cloudWatchFolder(),
                            settings,
                            current,
                            checker.distances(),
                            violations);
            log.println(
                    "byoe monitor: "
                            + records
                            + " CloudWatch metric records in "
                            + settings.cloudWatchFolder());
        }
        HtmlReport.write(
                settings.output().resolve("report.html"),
                "byoe monitoring report",
                facts(settings, current, problems),
                HtmlReport.FeatureView.compare(constraints, baseline, current, checker.distances()),
                violations);
        Map<String, Integer> byType = new TreeMap<>();
        violations.forEach(v -> byType.merge(v.checkType(), 1, Integer::sum));
        // Beside SageMaker's files: the counts a pipeline's condition reads (Std:JsonGet) to decide
        // on retraining, which constraint_violations.json's list cannot give it.
        ObjectNode summary = Json.MAPPER.createObjectNode();
        summary.put("rows", current.items());
        summary.put("violations", violations.size());
        byType.forEach(summary.putObject("violations_by_check_type")::put);
        write(settings.output().resolve(SUMMARY), summary);
        out.println(
                "byoe monitor analyze: "
                        + current.items()
                        + " rows, "
                        + violations.size()
                        + " violations "
                        + byType
                        + " -> "
                        + settings.output());
        return 0;
    }

    private static DatasetProfile profile(
            MonitorSettings settings, List<String> names, ReadProblems problems, PrintStream log)
            throws IOException {
        DatasetProfile profile = new DatasetProfile(settings.excluded());
        DatasetReader reader =
                new DatasetReader(
                        settings.format(), names, settings.start(), settings.end(), problems);
        DatasetReader.Counts counts = reader.read(settings.source(), profile);
        log.println(
                "byoe monitor: "
                        + profile.items()
                        + " rows from "
                        + counts.files()
                        + " files in "
                        + settings.source()
                        + (counts.outsideWindow() > 0
                                ? ", "
                                        + counts.outsideWindow()
                                        + " captured records outside the time window"
                                : "")
                        + "; records not readable: "
                        + problems);
        if (profile.items() == 0) {
            throw new JobFailure(
                    "no rows in "
                            + settings.source()
                            + (counts.outsideWindow() > 0
                                    ? " within " + settings.start() + " .. " + settings.end()
                                    : "")
                            + (problems.count() > 0 ? "; records not readable: " + problems : ""));
        }
        return profile;
    }

    private static ObjectNode violationsJson(List<Violation> violations) {
        ObjectNode root = Json.MAPPER.createObjectNode();
        ArrayNode list = root.putArray("violations");
        for (Violation v : violations) {
            list.addObject()
                    .put("feature_name", v.featureName())
                    .put("constraint_check_type", v.checkType())
                    .put("description", v.description());
        }
        return root;
    }

    private static List<String> facts(
            MonitorSettings settings, DatasetProfile profile, ReadProblems problems) {
        List<String> facts = new ArrayList<>();
        facts.add(
                "dataset: "
                        + settings.source()
                        + " ("
                        + profile.items()
                        + " rows, "
                        + profile.features().size()
                        + " columns)");
        if (settings.baselineConstraints() != null) {
            facts.add("baseline constraints: " + settings.baselineConstraints());
        }
        if (settings.start() != null || settings.end() != null) {
            facts.add("time window: " + settings.start() + " .. " + settings.end());
        }
        facts.add("records not readable: " + problems);
        return facts;
    }

    private static void write(Path file, ObjectNode json) throws IOException {
        Json.MAPPER.writerWithDefaultPrettyPrinter().writeValue(file.toFile(), json);
    }
}
