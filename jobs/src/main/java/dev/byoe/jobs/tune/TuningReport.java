package dev.byoe.jobs.tune;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.byoe.core.Json;
import dev.byoe.core.data.CsvText;
import dev.byoe.jobs.api.LocalArns;
import dev.byoe.jobs.registry.ModelArchive;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What a tuning job leaves in its output folder: {@code trials.csv} (also printed as a table),
 * {@code summary.json} shaped like DescribeHyperParameterTuningJob (status, counters,
 * BestTrainingJob) plus the training job summaries, and {@code best/model.tar.gz}.
 */
public final class TuningReport {
    private static final ObjectMapper JSON = Json.INDENTED;

    private final TuningConfig config;
    private final Tuner.Result result;

    public TuningReport(TuningConfig config, Tuner.Result result) {
        this.config = config;
        this.result = result;
    }

    public Path bestArchive(Path output) {
        return output.resolve("best/model.tar.gz");
    }

    public void write(Path output) throws IOException {
        Files.writeString(output.resolve("trials.csv"), csv(), StandardCharsets.UTF_8);
        JSON.writeValue(output.resolve("summary.json").toFile(), summary(output));
        JSON.writeValue(output.resolve("training-jobs.json").toFile(), trainingJobs());
        if (result.best() != null) {
            ModelArchive.pack(result.best().model(), bestArchive(output));
            JSON.writeValue(
                    output.resolve("best/training-job.json").toFile(),
                    bestTrainingJob(bestArchive(output)));
        }
        TuningChart.write(config, result.trials(), result.best(), output.resolve("objective.png"));
    }

    private List<String> columns() {
        List<String> c = new ArrayList<>(List.of("trial", "training_job"));
        hyperparameterNames().forEach(c::add);
        c.addAll(List.of(config.objective().metricName(), "status", "seconds", "failure_reason"));
        return c;
    }

    private List<String> hyperparameterNames() {
        List<String> names =
                new ArrayList<>(config.ranges().stream().map(ParameterRange::name).toList());
        if (config.hyperband() != null) {
            names.add(config.hyperband().resource());
        }
        return names;
    }

    private List<List<String>> rows() {
        List<List<String>> rows = new ArrayList<>();
        for (Trial t : result.trials()) {
            List<String> r = new ArrayList<>(List.of(Integer.toString(t.number()), t.name()));
            hyperparameterNames().forEach(n -> r.add(t.hyperparameters().getOrDefault(n, "")));
            r.add(t.objective() == null ? "" : TuningReport.number(t.objective()));
            r.add(t.status().name());
            r.add(String.format(Locale.ROOT, "%.1f", t.seconds()));
            r.add(t.failureReason() == null ? "" : t.failureReason());
            rows.add(r);
        }
        return rows;
    }

    String csv() {
        StringBuilder sb = new StringBuilder(String.join(",", columns())).append('\n');
        for (List<String> r : rows()) {
            sb.append(String.join(",", r.stream().map(CsvText::field).toList())).append('\n');
        }
        return sb.toString();
    }

    public void printTable(PrintStream out) {
        List<String> header = columns().subList(0, columns().size() - 1);
        List<List<String>> rows = rows().stream().map(r -> r.subList(0, r.size() - 1)).toList();
        int[] widths = new int[header.size()];
        for (int i = 0; i < widths.length; i++) {
            widths[i] = header.get(i).length();
            for (List<String> r : rows) {
                widths[i] = Math.max(widths[i], r.get(i).length());
            }
        }
        out.println(line(header, widths));
        for (int i = 0; i < rows.size(); i++) {
            Trial t = result.trials().get(i);
            out.println(
                    line(rows.get(i), widths)
                            + (t == result.best() ? "  <- best" : "")
                            + (t.failureReason() == null
                                    ? ""
                                    : "  " + t.failureReason().lines().findFirst().orElse("")));
        }
    }

    private static String line(List<String> cells, int[] widths) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < cells.size(); i++) {
            sb.append(i == 0 ? "" : "  ")
                    .append(String.format("%-" + widths[i] + "s", cells.get(i)));
        }
        return sb.toString().stripTrailing();
    }

    /** {@code summary.json}: DescribeHyperParameterTuningJob's response shape. */
    ObjectNode summary(Path output) {
        ObjectNode s = JSON.createObjectNode();
        s.put("HyperParameterTuningJobName", config.jobName());
        s.put("HyperParameterTuningJobArn", tuningJobArn());
        s.set(
                "HyperParameterTuningJobConfig",
                config.request().get("HyperParameterTuningJobConfig"));
        if (config.request().has("TrainingJobDefinition")) {
            s.set("TrainingJobDefinition", config.request().get("TrainingJobDefinition"));
        }
        s.put("HyperParameterTuningJobStatus", result.status());
        Instant end = Instant.now();
        s.put("CreationTime", end.minusMillis(Math.round(result.seconds() * 1000)).toString());
        s.put("HyperParameterTuningEndTime", end.toString());
        s.put("LastModifiedTime", end.toString());
        long completed = count(Trial.Status.Completed);
        ObjectNode counters = s.putObject("TrainingJobStatusCounters");
        counters.put("Completed", completed);
        counters.put("InProgress", 0);
        counters.put("RetryableError", 0);
        counters.put("NonRetryableError", count(Trial.Status.Failed));
        counters.put("Stopped", count(Trial.Status.Stopped));
        ObjectNode objective = s.putObject("ObjectiveStatusCounters");
        long succeeded = result.trials().stream().filter(t -> t.objective() != null).count();
        objective.put("Succeeded", succeeded);
        objective.put("Pending", 0);
        objective.put("Failed", result.trials().size() - succeeded);
        if (result.best() != null) {
            s.set("BestTrainingJob", trialSummary(result.best()));
        }
        if (result.failureReason() != null) {
            s.put("FailureReason", failureReason(result.failureReason()));
        }
        s.putObject("ConsumedResources").put("RuntimeInSeconds", Math.round(result.seconds()));
        return s;
    }

    /** {@code training-jobs.json}: ListTrainingJobsForHyperParameterTuningJob's response shape. */
    ObjectNode trainingJobs() {
        ObjectNode out = JSON.createObjectNode();
        ArrayNode jobs = out.putArray("TrainingJobSummaries");
        result.trials().forEach(t -> jobs.add(trialSummary(t)));
        return out;
    }

    /**
     * {@code best/training-job.json}: DescribeTrainingJob's response shape for the best trial, with
     * its model archive as {@code ModelArtifacts.S3ModelArtifacts} (a local file URI here).
     */
    ObjectNode bestTrainingJob(Path archive) {
        Trial t = result.best();
        ObjectNode j = JSON.createObjectNode();
        j.put("TrainingJobName", t.name());
        j.put("TrainingJobArn", trainingJobArn(t));
        j.put("TuningJobArn", tuningJobArn());
        j.putObject("ModelArtifacts")
                .put("S3ModelArtifacts", archive.toAbsolutePath().toUri().toString());
        j.put("TrainingJobStatus", t.status().name());
        j.put("SecondaryStatus", t.status().name());
        ObjectNode hyperparameters = j.putObject("HyperParameters");
        config.staticHyperparameters().forEach(hyperparameters::put);
        t.hyperparameters().forEach(hyperparameters::put);
        j.set("StoppingCondition", config.request().at("/TrainingJobDefinition/StoppingCondition"));
        j.put("CreationTime", t.started().toString());
        j.put("TrainingStartTime", t.started().toString());
        j.put("TrainingEndTime", t.ended().toString());
        ArrayNode metrics = j.putArray("FinalMetricDataList");
        t.metrics()
                .forEach(
                        (name, value) ->
                                metrics.addObject()
                                        .put("MetricName", name)
                                        .put("Value", value)
                                        .put("Timestamp", t.ended().toString()));
        j.put("TrainingTimeInSeconds", Math.max(1, Math.round(t.seconds())));
        return j;
    }

    private ObjectNode trialSummary(Trial t) {
        ObjectNode j = JSON.createObjectNode();
        j.put("TrainingJobName", t.name());
        j.put("TrainingJobArn", trainingJobArn(t));
        j.put("TuningJobName", config.jobName());
        j.put("CreationTime", t.started().toString());
        j.put("TrainingStartTime", t.started().toString());
        j.put("TrainingEndTime", t.ended().toString());
        j.put("TrainingJobStatus", t.status().name());
        ObjectNode tuned = j.putObject("TunedHyperParameters");
        t.hyperparameters().forEach(tuned::put);
        j.put("ObjectiveStatus", t.objective() == null ? "Failed" : "Succeeded");
        if (t.objective() != null) {
            j.putObject("FinalHyperParameterTuningJobObjectiveMetric")
                    .put("Type", config.objective().type())
                    .put("MetricName", config.objective().metricName())
                    .put("Value", t.objective());
        }
        if (t.failureReason() != null) {
            j.put("FailureReason", failureReason(t.failureReason()));
        }
        return j;
    }

    /**
     * The API holds at most 1,024 characters; the whole reason stays in the trial's log and failure
     * file.
     */
    private static String failureReason(String reason) {
        return reason.length() <= 1024 ? reason : reason.substring(0, 1021) + "...";
    }

    private String tuningJobArn() {
        return LocalArns.PREFIX
                + "hyper-parameter-tuning-job/"
                + config.jobName().toLowerCase(Locale.ROOT);
    }

    private static String trainingJobArn(Trial t) {
        return LocalArns.PREFIX + "training-job/" + t.name().toLowerCase(Locale.ROOT);
    }

    private long count(Trial.Status status) {
        return result.trials().stream().filter(t -> t.status() == status).count();
    }

    static String number(double v) {
        return String.format(Locale.ROOT, "%.6f", v).replaceAll("0+$", "").replaceAll("\\.$", "");
    }
}
