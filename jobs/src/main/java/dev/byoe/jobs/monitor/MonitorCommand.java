package dev.byoe.jobs.monitor;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.byoe.core.Json;
import dev.byoe.jobs.contract.FailureFile;
import dev.byoe.jobs.contract.JobFailure;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code byoe monitor baseline|analyze}: a Model Monitor processing job. {@code baseline} writes
 * {@code statistics.json} and {@code constraints.json} of a dataset; {@code analyze} writes the
 * current data's {@code statistics.json}, {@code constraint_violations.json} and CloudWatch metric
 * records. Both write {@code report.html}. Plain {@code monitor} analyzes when {@code
 * baseline_constraints} is set, else baselines (a schedule's container needs one argument list). A
 * failure writes {@code /opt/ml/output/message} and exits non-zero; violations do not.
 */
public final class MonitorCommand {
    public static final String USAGE =
            """
            usage: java -jar byoe.jar monitor [baseline|analyze] [--option value ...]
              options (each also read from the environment variable of the same name with underscores):
                --dataset-source PATH        file or folder of CSV, JSON Lines or captured JSONL (required)
                --dataset-format JSON        {"csv": {"header": true}}, {"json": {"line": true}}, {"sagemakerCaptureJson": {}}
                --output-path PATH           default /opt/ml/processing/resultdata
                --baseline-statistics PATH   statistics.json (or its folder) of the baseline, for drift (analyze)
                --baseline-constraints PATH  constraints.json (or its folder) of the baseline (analyze)
                --publish-cloudwatch-metrics Enabled|Disabled
                --start-time, --end-time     ISO-8601 UTC; captured records outside are skipped
                --sagemaker-endpoint-name, --sagemaker-monitoring-schedule-name   metric dimensions
                --exclude-columns a,b        columns left out (such as the label of training rows)
            """;
    private static final ObjectMapper JSON = Json.MAPPER;

    private MonitorCommand() {}

    public static int run(
            String[] args, Map<String, String> env, PrintStream out, PrintStream log) {
        if (Arrays.asList(args).contains("--help") || args.length > 0 && args[0].equals("help")) {
            out.print(USAGE);
            return 0;
        }
        String mode = args.length > 0 && !args[0].startsWith("--") ? args[0] : null;
        String[] options = mode == null ? args : Arrays.copyOfRange(args, 1, args.length);
        String rootText = env.get("BYOE_ML_ROOT");
        Path message =
                Path.of(
                        rootText == null || rootText.isBlank() ? "/opt/ml" : rootText,
                        "output/message");
        try {
            if (mode != null && !mode.equals("baseline") && !mode.equals("analyze")) {
                throw new JobFailure(
                        "unknown monitor command '" + mode + "'; use baseline or analyze");
            }
            MonitorSettings settings = MonitorSettings.of(options, env);
            if (mode == null) {
                mode = settings.baselineConstraints() != null ? "analyze" : "baseline";
            }
            Files.createDirectories(settings.output());
            return mode.equals("baseline")
                    ? baseline(settings, out, log)
                    : analyze(settings, out, log);
        } catch (Exception e) {
            return FailureFile.processingJobFailed("monitor", e, message, log);
        }
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
        ObjectNode root = JSON.createObjectNode();
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
        JSON.writerWithDefaultPrettyPrinter().writeValue(file.toFile(), json);
    }
}
