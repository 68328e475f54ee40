package dev.byoe.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The request files in examples/ say what the jar really accepts and prints. */
class ExamplesIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path EXAMPLES =
            Path.of(System.getProperty("byoe.root", "..")).resolve("examples");

    @TempDir Path tmp;

    @ParameterizedTest
    @ValueSource(strings = {"regression", "binary", "multiclass"})
    void metricDefinitionFilesAreWhatTheJarPrints(String objective) throws Exception {
        Byoe.Result r = Byoe.run(Map.of(), "metric-definitions", "--objective", objective);
        assertEquals(0, r.exit(), r.all());
        assertEquals(
                JSON.readTree(r.stdout()),
                JSON.readTree(
                        EXAMPLES.resolve("metric-definitions/" + objective + ".json").toFile()));
    }

    @Test
    void logAnomalyMetricDefinitionsAreWhatTheJarPrints() throws Exception {
        Byoe.Result r = Byoe.run(Map.of(), "metric-definitions", "--task", "log_anomaly");
        assertEquals(0, r.exit(), r.all());
        assertEquals(
                JSON.readTree(r.stdout()),
                JSON.readTree(EXAMPLES.resolve("metric-definitions/log-anomaly.json").toFile()));
    }

    @Test
    void theTrainingJobRequestTrainsAsWritten() throws Exception {
        JsonNode job = JSON.readTree(EXAMPLES.resolve("aws-cli/training-job.json").toFile());
        assertEquals(
                JSON.readTree(EXAMPLES.resolve("metric-definitions/regression.json").toFile()),
                job.at("/AlgorithmSpecification/MetricDefinitions"));
        assertEquals("train", job.at("/InputDataConfig/0/ChannelName").asText());
        Byoe.Result r = trainsWith(strings(job.get("HyperParameters")));
        everyMetricDefinitionMatches(job.at("/AlgorithmSpecification/MetricDefinitions"), r);
    }

    @Test
    void theThreeHostTrainingJobRequestTrainsAsWrittenOnThreeHosts() throws Exception {
        JsonNode job =
                JSON.readTree(EXAMPLES.resolve("aws-cli/training-job-3-hosts.json").toFile());
        assertEquals(3, job.at("/ResourceConfig/InstanceCount").asInt());
        assertEquals(
                "FullyReplicated",
                job.at("/InputDataConfig/0/DataSource/S3DataSource/S3DataDistributionType")
                        .asText());
        assertEquals("/opt/ml/checkpoints", job.at("/CheckpointConfig/LocalPath").asText());
        Map<String, String> hp = new java.util.HashMap<>(strings(job.get("HyperParameters")));
        // Three JVMs share this machine's cores.
        hp.put("xgboost.nthread", "1");
        hp.put("catboost.thread_count", "1");
        Hosts three =
                new Hosts(
                        Files.createTempDirectory(tmp, "hosts"),
                        job.at("/ResourceConfig/InstanceCount").asInt(),
                        (ml, i) ->
                                ml.hyperparameters(hp)
                                        .channel("train", MlLayout.data("diabetes.csv")));
        try {
            List<Byoe.Result> results = three.start().await();
            for (Byoe.Result r : results) {
                assertEquals(0, r.exit(), r.all());
            }
            everyMetricDefinitionMatches(
                    job.at("/AlgorithmSpecification/MetricDefinitions"), results.getFirst());
        } finally {
            three.destroy();
        }
    }

    /**
     * SageMaker reads each metric from the job's log with its regex: one that never matches is a
     * metric never seen.
     */
    private static void everyMetricDefinitionMatches(JsonNode definitions, Byoe.Result run) {
        assertTrue(definitions.size() > 0);
        for (JsonNode d : definitions) {
            java.util.regex.Matcher m =
                    java.util.regex.Pattern.compile(d.get("Regex").asText()).matcher(run.all());
            assertTrue(
                    m.find(),
                    d.get("Name").asText()
                            + ": "
                            + d.get("Regex").asText()
                            + " matches no line of the job's log");
            Double.parseDouble(m.group(1));
        }
    }

    @Test
    void theLogAnomalyTrainingJobRequestTrainsAsWritten() throws Exception {
        JsonNode job =
                JSON.readTree(EXAMPLES.resolve("aws-cli/log-anomaly-training-job.json").toFile());
        Map<String, String> hp = strings(job.get("HyperParameters"));
        Byoe.Result defs =
                Byoe.run(
                        Map.of(),
                        "metric-definitions",
                        "--task",
                        "log_anomaly",
                        "--members",
                        hp.get("members"));
        assertEquals(0, defs.exit(), defs.all());
        assertEquals(
                JSON.readTree(defs.stdout()), job.at("/AlgorithmSpecification/MetricDefinitions"));
        assertEquals("logs", job.at("/InputDataConfig/0/ChannelName").asText());
        assertEquals("labels", job.at("/InputDataConfig/1/ChannelName").asText());
        assertEquals("/opt/ml/checkpoints", job.at("/CheckpointConfig/LocalPath").asText());
        // The request's own hyperparameters, unchanged (about 25 s here).
        Path root = Files.createTempDirectory(tmp, "ml");
        MlLayout ml =
                new MlLayout(root)
                        .hyperparameters(hp)
                        .channel("logs", MlLayout.data("hdfs/HDFS_6000.log"))
                        .channel("labels", MlLayout.data("hdfs/HDFS_6000_block_labels.csv"));
        Byoe.Result r = Byoe.train(ml);
        assertEquals(0, r.exit(), hp + "\n" + r.all());
        assertTrue(Files.isRegularFile(ml.model().resolve("members/catboost/model.cbm")));
        assertTrue(
                r.stderr().contains("no 'validation' channel: held out"),
                "the job says it held out a validation cut");
        everyMetricDefinitionMatches(job.at("/AlgorithmSpecification/MetricDefinitions"), r);
    }

    @Test
    void everyTuningRangeEndIsAcceptedByTraining() throws Exception {
        JsonNode job = JSON.readTree(EXAMPLES.resolve("aws-cli/tuning-job.json").toFile());
        JsonNode config = job.get("HyperParameterTuningJobConfig");
        String objective = config.at("/HyperParameterTuningJobObjective/MetricName").asText();
        List<String> names = new ArrayList<>();
        job.at("/TrainingJobDefinition/AlgorithmSpecification/MetricDefinitions")
                .forEach(d -> names.add(d.get("Name").asText()));
        assertTrue(
                names.contains(objective),
                objective + " must be one of the MetricDefinitions " + names);
        for (String end : List.of("MinValue", "MaxValue")) {
            Map<String, String> hp =
                    strings(job.at("/TrainingJobDefinition/StaticHyperParameters"));
            hp.put("k_fold", "2");
            hp.put(SageMakerTuning.OBJECTIVE, objective);
            for (String kind : List.of("IntegerParameterRanges", "ContinuousParameterRanges")) {
                config.at("/ParameterRanges/" + kind)
                        .forEach(r -> hp.put(r.get("Name").asText(), r.get(end).asText()));
            }
            config.at("/ParameterRanges/CategoricalParameterRanges")
                    .forEach(
                            r -> {
                                JsonNode values = r.get("Values");
                                hp.put(
                                        r.get("Name").asText(),
                                        values.get(end.equals("MinValue") ? 0 : values.size() - 1)
                                                .asText());
                            });
            trainsWith(hp);
        }
    }

    @Test
    void theSdkScriptPinsSdkV2AndParses() throws Exception {
        Path script = EXAMPLES.resolve("sdk/train_tune_deploy.py");
        assertTrue(
                Files.readString(EXAMPLES.resolve("sdk/requirements.txt"))
                        .contains("sagemaker>=2.200,<3"));
        assertTrue(Files.readString(script).contains("sagemaker>=2.200,<3"));
        org.junit.jupiter.api.Assumptions.assumeTrue(
                new java.io.File("/usr/bin/python3").canExecute(),
                "no /usr/bin/python3 on this machine: the syntax check of the SDK script is skipped");
        Process p =
                new ProcessBuilder(
                                "/usr/bin/python3",
                                "-c",
                                "import ast, sys; ast.parse(open(sys.argv[1]).read(), sys.argv[1])",
                                script.toString())
                        .redirectErrorStream(true)
                        .start();
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), out);
    }

    @Test
    void fillReplacesEveryPlaceholder() throws Exception {
        ProcessBuilder pb =
                new ProcessBuilder(EXAMPLES.resolve("aws-cli/fill").toString())
                        .redirectErrorStream(true);
        pb.environment()
                .putAll(
                        Map.of(
                                "ACCOUNT_ID",
                                "123456789012",
                                "REGION",
                                "eu-west-1",
                                "SAGEMAKER_ROLE",
                                "MySageMakerRole",
                                "BUCKET",
                                "my-bucket"));
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), out);
        Path filled = EXAMPLES.resolve("aws-cli/filled");
        try (Stream<Path> files = Files.list(filled)) {
            for (Path f : files.toList()) {
                String text = Files.readString(f);
                JSON.readTree(text);
                for (String token : List.of("ACCOUNT_ID", "REGION", "SAGEMAKER_ROLE", "BUCKET")) {
                    assertFalse(text.contains(token), f + " still has " + token);
                }
            }
            assertTrue(
                    Files.readString(filled.resolve("model.json"))
                            .contains("123456789012.dkr.ecr.eu-west-1.amazonaws.com/byoe:latest"));
        } finally {
            try (Stream<Path> files = Files.list(filled)) {
                for (Path f : files.toList()) {
                    Files.delete(f);
                }
            }
            Files.delete(filled);
        }
    }

    private Byoe.Result trainsWith(Map<String, String> hyperparameters) throws Exception {
        Path root = Files.createTempDirectory(tmp, "ml");
        MlLayout ml =
                new MlLayout(root)
                        .hyperparameters(hyperparameters)
                        .channel("train", MlLayout.data("diabetes.csv"));
        Byoe.Result r = Byoe.train(ml);
        assertEquals(0, r.exit(), hyperparameters + "\n" + r.all());
        return r;
    }

    private static Map<String, String> strings(JsonNode object) {
        Map<String, String> out = new LinkedHashMap<>();
        object.properties().forEach(e -> out.put(e.getKey(), e.getValue().asText()));
        return out;
    }

    /** The hyperparameter SageMaker adds to every training job of a tuning job. */
    private static final class SageMakerTuning {
        static final String OBJECTIVE = "_tuning_objective_metric";
    }
}
