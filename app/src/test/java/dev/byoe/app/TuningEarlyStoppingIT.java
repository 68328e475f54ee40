package dev.byoe.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SageMaker's median early stopping on per-epoch objective lines: a small DeepLog model prints
 * {@code train-loss:<v>;} every epoch. Three learning rates that learn complete one after the
 * other; the fourth (1e-5) barely moves the loss, so after an epoch it is worse than the median of
 * the others' running averages and is stopped while still training.
 */
class TuningEarlyStoppingIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path HDFS = MlLayout.data("hdfs");
    private static final int EPOCHS = 2;

    @TempDir Path tmp;

    @Test
    void aTrialWorseThanTheMedianOfEarlierTrialsIsStoppedMidTraining() throws Exception {
        Map<String, Object> config =
                tuningJob(
                        "deeplog-early-stop",
                        "train:loss",
                        "(?<![a-z-])train-loss:(-?[0-9\\.]+);",
                        "deeplog.learning_rate",
                        List.of("0.02", "0.01", "0.005", "0.00001"),
                        Map.of(
                                "task", "log_anomaly",
                                "members", "deeplog",
                                "deeplog.epochs", Integer.toString(EPOCHS),
                                "deeplog.hidden", "8",
                                "deeplog.layers", "1"),
                        List.of(channel("train", "sessions-train.csv")));
        Path file = tmp.resolve("early-stop.json");
        JSON.writeValue(file.toFile(), config);
        Path out = tmp.resolve("out");
        Byoe.Result r =
                Byoe.run(Map.of(), "tune", "--config", file.toString(), "--output", out.toString());
        assertEquals(0, r.exit(), r.all());

        JsonNode summary = JSON.readTree(out.resolve("summary.json").toFile());
        assertEquals(3, summary.at("/TrainingJobStatusCounters/Completed").asInt(), r.all());
        assertEquals(1, summary.at("/TrainingJobStatusCounters/Stopped").asInt(), r.all());
        JsonNode jobs = JSON.readTree(out.resolve("training-jobs.json").toFile());
        JsonNode stopped = jobs.at("/TrainingJobSummaries/3");
        assertEquals("Stopped", stopped.get("TrainingJobStatus").asText());
        assertEquals("0.00001", stopped.at("/TunedHyperParameters/deeplog.learning_rate").asText());
        assertTrue(
                stopped.get("FailureReason").asText().startsWith("stopped early: objective"),
                stopped.toString());

        // Stopped before its last epoch: fewer loss lines than the trials that completed.
        Path stoppedLog =
                out.resolve("trials")
                        .resolve(stopped.get("TrainingJobName").asText())
                        .resolve("output/trial.log");
        long epochs =
                Files.readAllLines(stoppedLog).stream()
                        .filter(l -> l.startsWith("train-loss:"))
                        .count();
        assertTrue(epochs >= 1 && epochs < EPOCHS, epochs + " epochs in " + stoppedLog);
        Path completedLog =
                out.resolve("trials")
                        .resolve(jobs.at("/TrainingJobSummaries/0/TrainingJobName").asText())
                        .resolve("output/trial.log");
        assertEquals(
                EPOCHS,
                Files.readAllLines(completedLog).stream()
                        .filter(l -> l.startsWith("train-loss:"))
                        .count());
        // SIGTERM reached the trainer, which recorded it as SageMaker's StopTrainingJob would.
        assertTrue(
                Files.readString(stoppedLog.resolveSibling("failure"))
                        .contains("stopped (SIGTERM)"));
        assertTrue(
                !summary.at("/BestTrainingJob/TrainingJobName")
                        .asText()
                        .equals(stopped.get("TrainingJobName").asText()));
    }

    /**
     * The same for the tabular ensemble: with a validation channel XGBoost prints the ensemble's
     * {@code validation-rmse} every round, so a trial with a learning rate that cannot learn is
     * stopped after its first rounds instead of running all of them.
     */
    @Test
    void aTabularTrialThatCannotLearnIsStoppedByItsRoundLines() throws Exception {
        List<String> rows = Files.readAllLines(MlLayout.data("diabetes.csv"));
        StringBuilder train = new StringBuilder(rows.getFirst() + "\n");
        StringBuilder validation = new StringBuilder(rows.getFirst() + "\n");
        for (int i = 1; i < rows.size(); i++) {
            (i % 4 == 0 ? validation : train).append(rows.get(i)).append('\n');
        }
        Path trainFile = Files.writeString(tmp.resolve("train.csv"), train);
        Path validationFile = Files.writeString(tmp.resolve("validation.csv"), validation);
        int rounds = 3000;
        Map<String, Object> config =
                tuningJob(
                        "xgboost-early-stop",
                        "validation:rmse",
                        "(?<![a-z-])validation-rmse:(-?[0-9\\.]+);",
                        "eta",
                        List.of("0.3", "0.2", "0.1", "0.00001"),
                        Map.of(
                                "target_column", "target",
                                "members", "xgboost",
                                "num_round", Integer.toString(rounds),
                                "max_depth", "2"),
                        List.of(
                                channel("train", trainFile),
                                channel("validation", validationFile)));
        Path file = tmp.resolve("xgboost-early-stop.json");
        JSON.writeValue(file.toFile(), config);
        Path out = tmp.resolve("xgb-out");
        Byoe.Result r =
                Byoe.run(Map.of(), "tune", "--config", file.toString(), "--output", out.toString());
        assertEquals(0, r.exit(), r.all());
        JsonNode jobs = JSON.readTree(out.resolve("training-jobs.json").toFile());
        JsonNode stopped = jobs.at("/TrainingJobSummaries/3");
        assertEquals("Stopped", stopped.get("TrainingJobStatus").asText(), jobs.toString());
        assertEquals("0.00001", stopped.at("/TunedHyperParameters/eta").asText());
        long printed =
                Files.readAllLines(
                                out.resolve("trials")
                                        .resolve(stopped.get("TrainingJobName").asText())
                                        .resolve("output/trial.log"))
                        .stream()
                        .filter(l -> l.startsWith("xgboost-round="))
                        .count();
        assertTrue(printed >= 1 && printed < rounds, printed + " rounds before the stop");
    }

    /**
     * A Grid tuning job with Auto early stopping over four values of one hyperparameter (the worst
     * last), minimising {@code metric}, one trial at a time.
     */
    private static Map<String, Object> tuningJob(
            String name,
            String metric,
            String regex,
            String parameter,
            List<String> values,
            Map<String, String> statics,
            List<Map<String, Object>> channels) {
        return Map.of(
                "HyperParameterTuningJobName", name,
                "HyperParameterTuningJobConfig",
                        Map.of(
                                "Strategy", "Grid",
                                "HyperParameterTuningJobObjective",
                                        Map.of("Type", "Minimize", "MetricName", metric),
                                "ResourceLimits", Map.of("MaxParallelTrainingJobs", 1),
                                "ParameterRanges",
                                        Map.of(
                                                "CategoricalParameterRanges",
                                                List.of(
                                                        Map.of(
                                                                "Name", parameter, "Values",
                                                                values))),
                                "TrainingJobEarlyStoppingType", "Auto"),
                "TrainingJobDefinition",
                        Map.of(
                                "StaticHyperParameters",
                                statics,
                                "AlgorithmSpecification",
                                Map.of(
                                        "TrainingImage", "byoe",
                                        "TrainingInputMode", "File",
                                        "MetricDefinitions",
                                                List.of(Map.of("Name", metric, "Regex", regex))),
                                "RoleArn",
                                "arn:aws:iam::111122223333:role/SageMakerRole",
                                "OutputDataConfig",
                                Map.of("S3OutputPath", "s3://amzn-s3-demo-bucket/tuning/"),
                                "StoppingCondition",
                                Map.of("MaxRuntimeInSeconds", 3600),
                                "InputDataConfig",
                                channels));
    }

    private static Map<String, Object> channel(String name, String file) {
        return channel(name, HDFS.resolve(file));
    }

    private static Map<String, Object> channel(String name, Path file) {
        return Map.of(
                "ChannelName",
                name,
                "ContentType",
                "text/csv",
                "DataSource",
                Map.of(
                        "S3DataSource",
                        Map.of(
                                "S3DataType",
                                "S3Prefix",
                                "S3Uri",
                                file.toAbsolutePath().toString())));
    }
}
