package dev.byoe.jobs.tune;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class TuningConfigReaderTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path ROOT = Path.of(System.getProperty("byoe.root", ".."));
    private static final Path EXAMPLE = ROOT.resolve("examples/tuning/tuning.json");

    private static ObjectNode example() throws Exception {
        return (ObjectNode) JSON.readTree(EXAMPLE.toFile());
    }

    private static List<String> problems(Consumer<ObjectNode> change) throws Exception {
        ObjectNode config = example();
        change.accept(config);
        return assertThrows(
                        TuningConfigException.class, () -> TuningConfigReader.parse(config, ROOT))
                .problems();
    }

    private static ObjectNode hpo(ObjectNode c) {
        return (ObjectNode) c.get("HyperParameterTuningJobConfig");
    }

    private static ObjectNode range(ObjectNode c, String kind, int i) {
        return (ObjectNode) hpo(c).get("ParameterRanges").get(kind).get(i);
    }

    @Test
    void theShippedExampleIsValid() throws Exception {
        TuningConfig c = TuningConfigReader.read(EXAMPLE, ROOT);
        assertEquals("diabetes-local-1", c.jobName());
        assertEquals(TuningConfig.Strategy.BAYESIAN, c.strategy());
        assertEquals(new TuningConfig.Objective(true, "validation:rmse"), c.objective());
        assertEquals(6, c.maxJobs());
        assertEquals(2, c.maxParallel());
        assertEquals(
                List.of("max_depth", "eta"),
                c.ranges().stream().map(ParameterRange::name).toList());
        assertEquals(
                Map.of("target_column", "target", "num_round", "10"), c.staticHyperparameters());
        assertEquals(
                ROOT.resolve("data/diabetes.csv").toAbsolutePath().normalize(),
                c.channels().getFirst().source());
        assertEquals(600, c.maxRuntimeSeconds());
        assertNull(c.hyperband());
        assertTrue(c.notes().stream().anyMatch(n -> n.contains("RoleArn")), c.notes().toString());
    }

    /**
     * Configs SageMaker's CreateHyperParameterTuningJob refuses, each with the JSON path the
     * refusal names.
     */
    @Test
    void whatTheApiRefusesIsRefusedHereWithItsPath() throws Exception {
        Map<String, Consumer<ObjectNode>> cases = new java.util.LinkedHashMap<>();
        cases.put(
                "TrainingJobDefinition.OutputDataConfig: required",
                c -> def(c).remove("OutputDataConfig"));
        cases.put(
                "TrainingJobDefinition.StoppingCondition: required",
                c -> def(c).remove("StoppingCondition"));
        cases.put("TrainingJobDefinition.RoleArn: required", c -> def(c).remove("RoleArn"));
        cases.put(
                "TrainingJobDefinition.AlgorithmSpecification.TrainingInputMode: required",
                c ->
                        ((ObjectNode) def(c).get("AlgorithmSpecification"))
                                .remove("TrainingInputMode"));
        cases.put(
                "TrainingJobDefinition.AlgorithmSpecification.TrainingInputMode: 'file' is not one of",
                c ->
                        ((ObjectNode) def(c).get("AlgorithmSpecification"))
                                .put("TrainingInputMode", "file"));
        cases.put(
                "ContinuousParameterRanges[0].MinValue: must be a string",
                c -> range(c, "ContinuousParameterRanges", 0).put("MinValue", 0));
        cases.put(
                "ResourceLimits.MaxNumberOfTrainingJobs: must be a whole number",
                c ->
                        ((ObjectNode) hpo(c).get("ResourceLimits"))
                                .put("MaxNumberOfTrainingJobs", "6"));
        cases.put(
                "HyperParameterTuningJobConfig.RandomSeed: -1 is below the minimum 0",
                c -> hpo(c).put("RandomSeed", -1));
        cases.put(
                "StoppingCondition.MaxRuntimeInSeconds: 0 is below the minimum 1",
                c -> ((ObjectNode) def(c).get("StoppingCondition")).put("MaxRuntimeInSeconds", 0));
        cases.put(
                "InputDataConfig[0].ChannelName: 'train data' does not match",
                c ->
                        ((ObjectNode) def(c).get("InputDataConfig").get(0))
                                .put("ChannelName", "train data"));
        cases.put(
                "MetricDefinitions[1].Name: 256 characters, at most 255 allowed",
                c ->
                        ((ObjectNode) def(c).at("/AlgorithmSpecification/MetricDefinitions/1"))
                                .put("Name", "m".repeat(256)));
        cases.put(
                "AlgorithmSpecification.EnableSageMakerMetricsTimeSeries: not a member of HyperParameterAlgorithmSpecification",
                c ->
                        ((ObjectNode) def(c).get("AlgorithmSpecification"))
                                .put("EnableSageMakerMetricsTimeSeries", true));
        cases.put(
                "RoleArn: 'arn:aws:iam::ACCOUNT_ID:role/x' does not match",
                c -> def(c).put("RoleArn", "arn:aws:iam::ACCOUNT_ID:role/x"));
        cases.put(
                "HyperParameterTuningJobName: 33 characters, at most 32 allowed",
                c -> c.put("HyperParameterTuningJobName", "a".repeat(33)));
        cases.put(
                "HyperParameterTuningJobObjective.Type: 'Minimise' is not one of",
                c ->
                        ((ObjectNode) hpo(c).get("HyperParameterTuningJobObjective"))
                                .put("Type", "Minimise"));
        cases.put(
                "ResourceLimits.MaxParallelTrainingJobs: 0 is below the minimum 1",
                c -> ((ObjectNode) hpo(c).get("ResourceLimits")).put("MaxParallelTrainingJobs", 0));
        cases.put(
                "StaticHyperParameters.num_round: must be a string",
                c -> ((ObjectNode) def(c).get("StaticHyperParameters")).put("num_round", 10));
        cases.put(
                "ResourceConfig.VolumeSizeInGB: must be a whole number",
                c -> ((ObjectNode) def(c).get("ResourceConfig")).put("VolumeSizeInGB", "ten"));
        for (Map.Entry<String, Consumer<ObjectNode>> e : cases.entrySet()) {
            List<String> problems = problems(e.getValue());
            assertTrue(
                    problems.stream()
                            .anyMatch(
                                    p -> p.startsWith("SageMaker API: ") && p.contains(e.getKey())),
                    e.getKey() + " in " + problems);
        }
        // Several problems at once are all reported.
        List<String> all =
                problems(
                        c -> {
                            def(c).remove("RoleArn");
                            hpo(c).put("RandomSeed", -1);
                        });
        assertTrue(
                all.stream().anyMatch(p -> p.contains("RoleArn"))
                        && all.stream().anyMatch(p -> p.contains("RandomSeed")),
                all.toString());
    }

    @Test
    void aLocalDataPathIsANoteNotAProblem() throws Exception {
        TuningConfig c = TuningConfigReader.read(EXAMPLE, ROOT);
        assertTrue(
                c.notes().stream().anyMatch(n -> n.contains("S3Uri is a local path")),
                c.notes().toString());
    }

    private static ObjectNode def(ObjectNode c) {
        return (ObjectNode) c.get("TrainingJobDefinition");
    }

    @Test
    void environmentReachesTrialsAndCloudStoppingFieldsAreNotes() throws Exception {
        ObjectNode c = example();
        ((ObjectNode) c.get("TrainingJobDefinition"))
                .putObject("Environment")
                .put("BYOE_RETURN_MEMBERS", "true");
        ((ObjectNode) c.at("/TrainingJobDefinition/StoppingCondition"))
                .put("MaxWaitTimeInSeconds", 7200);
        TuningConfig t = TuningConfigReader.parse(c, ROOT);
        assertEquals(Map.of("BYOE_RETURN_MEMBERS", "true"), t.environment());
        assertTrue(
                t.notes()
                        .contains(
                                "StoppingCondition.MaxWaitTimeInSeconds only matters in the cloud; ignored locally"),
                t.notes().toString());
    }

    @Test
    void anObjectiveWithoutAMetricDefinitionIsRejectedAsSageMakerDoes() throws Exception {
        List<String> p =
                problems(
                        c ->
                                ((ObjectNode) hpo(c).get("HyperParameterTuningJobObjective"))
                                        .put("MetricName", "validation:mse"));
        assertEquals(1, p.size(), p.toString());
        assertTrue(
                p.getFirst()
                        .startsWith(
                                "A metric is required for this hyperparameter tuning job objective"),
                p.getFirst());
        assertTrue(
                p.getFirst().contains("'validation:mse'")
                        && p.getFirst().contains("validation:rmse"),
                p.getFirst());
    }

    @Test
    void logarithmicScalingNeedsPositiveBoundsAndReverseLogStaysBelowOne() throws Exception {
        List<String> p =
                problems(
                        c ->
                                range(c, "ContinuousParameterRanges", 0)
                                        .put("ScalingType", "Logarithmic"));
        assertEquals(
                List.of(
                        "ContinuousParameterRanges[eta]: Logarithmic scaling needs MinValue > 0 (got 0.0)"),
                p);
        p =
                problems(
                        c ->
                                range(c, "ContinuousParameterRanges", 0)
                                        .put("ScalingType", "ReverseLogarithmic"));
        assertTrue(
                p.getFirst()
                        .contains(
                                "ReverseLogarithmic scaling needs 0 <= MinValue and MaxValue < 1"),
                p.toString());
        p =
                problems(
                        c ->
                                range(c, "IntegerParameterRanges", 0)
                                        .put("ScalingType", "ReverseLogarithmic"));
        assertTrue(p.getFirst().contains("only for continuous ranges"), p.toString());
        p = problems(c -> range(c, "IntegerParameterRanges", 0).put("MinValue", "12"));
        assertTrue(
                p.getFirst().contains("MinValue 12.0 is greater than MaxValue 10.0"), p.toString());
    }

    @Test
    void regexesMustCompileAndCaptureAValue() throws Exception {
        List<String> p =
                problems(
                        c -> {
                            ArrayNode defs =
                                    (ArrayNode)
                                            c.at(
                                                    "/TrainingJobDefinition/AlgorithmSpecification/MetricDefinitions");
                            ((ObjectNode) defs.get(0)).put("Regex", "validation-rmse:[0-9.]+");
                            ((ObjectNode) defs.get(1)).put("Regex", "validation-r2:(-?[0-9.]+;");
                        });
        assertEquals(2, p.size(), p.toString());
        assertTrue(
                p.get(0).contains("[validation:rmse].Regex")
                        && p.get(0).contains("no capture group"),
                p.get(0));
        assertTrue(
                p.get(1).contains("[validation:r2].Regex") && p.get(1).contains("does not compile"),
                p.get(1));
    }

    @Test
    void strategyRulesAreSageMakers() throws Exception {
        List<String> grid = problems(c -> hpo(c).put("Strategy", "Grid"));
        assertEquals(2, grid.size(), grid.toString());
        assertTrue(
                grid.stream()
                        .anyMatch(
                                s ->
                                        s.contains(
                                                "Grid search takes CategoricalParameterRanges only; 'eta'")),
                grid.toString());

        List<String> hyperband =
                problems(
                        c -> {
                            hpo(c).put("Strategy", "Hyperband")
                                    .put("TrainingJobEarlyStoppingType", "Auto");
                            hpo(c).putObject("StrategyConfig")
                                    .putObject("HyperbandStrategyConfig")
                                    .put("MinResource", 5)
                                    .put("MaxResource", 50);
                        });
        assertTrue(
                hyperband.stream()
                        .anyMatch(s -> s.contains("must be Off with the Hyperband strategy")),
                hyperband.toString());
        assertTrue(
                hyperband.stream()
                        .anyMatch(s -> s.contains("Hyperband allocates num_round itself")),
                hyperband.toString());

        List<String> strategyConfig = problems(c -> hpo(c).putObject("StrategyConfig"));
        assertEquals(
                List.of(
                        "HyperParameterTuningJobConfig.StrategyConfig is only for the Hyperband strategy"),
                strategyConfig);
    }

    @Test
    void hyperbandReadsItsResourceRange() throws Exception {
        ObjectNode c = example();
        hpo(c).put("Strategy", "Hyperband");
        hpo(c).putObject("StrategyConfig")
                .putObject("HyperbandStrategyConfig")
                .put("MinResource", 5)
                .put("MaxResource", 45);
        ((ObjectNode) c.at("/TrainingJobDefinition/StaticHyperParameters")).remove("num_round");
        TuningConfig t = TuningConfigReader.parse(c, ROOT);
        assertEquals(new TuningConfig.Hyperband("num_round", 5, 45), t.hyperband());
    }

    @Test
    void cloudDataUnknownFieldsAndNonStringHyperparametersAreNamed() throws Exception {
        List<String> p =
                problems(
                        c -> {
                            ((ObjectNode)
                                            c.at(
                                                    "/TrainingJobDefinition/InputDataConfig/0/DataSource/S3DataSource"))
                                    .put("S3Uri", "s3://bucket/train/");
                            hpo(c).put("WarmStartConfig", "x");
                            ((ObjectNode) c.at("/TrainingJobDefinition/StaticHyperParameters"))
                                    .put("k_fold", 3);
                        });
        // Three from local tuning's own reading, two of them also refused by the API's shapes.
        assertEquals(5, p.size(), p.toString());
        assertTrue(
                p.stream()
                        .anyMatch(
                                s ->
                                        s.contains(
                                                "HyperParameterTuningJobConfig.WarmStartConfig is not supported")),
                p.toString());
        assertTrue(
                p.stream()
                        .anyMatch(
                                s ->
                                        s.equals(
                                                "SageMaker API: TrainingJobDefinition.StaticHyperParameters.k_fold: must be a "
                                                        + "string (HyperParameterValue), got the number 3")),
                p.toString());
        assertTrue(
                p.stream()
                        .anyMatch(s -> s.contains("StaticHyperParameters.k_fold must be a string")),
                p.toString());
        assertTrue(
                p.stream()
                        .anyMatch(
                                s ->
                                        s.contains(
                                                "InputDataConfig[train].DataSource.S3DataSource.S3Uri 's3://bucket/train/'")),
                p.toString());
        List<String> missing =
                problems(
                        c ->
                                ((ObjectNode)
                                                c.at(
                                                        "/TrainingJobDefinition/InputDataConfig/0/DataSource/S3DataSource"))
                                        .put("S3Uri", "data/no-such.csv"));
        assertTrue(missing.getFirst().endsWith("no-such.csv does not exist"), missing.toString());
    }

    @Test
    void rangesTrainingWouldRejectAreFoundBeforeAnyTrial() throws Exception {
        ObjectNode c = example();
        range(c, "IntegerParameterRanges", 0).put("MaxValue", "40");
        RangeCheck.Findings f = RangeCheck.check(TuningConfigReader.parse(c, ROOT));
        assertEquals(1, f.problems().size(), f.problems().toString());
        assertTrue(
                f.problems()
                        .getFirst()
                        .startsWith("ParameterRanges max_depth=40: byoe train would reject it"),
                f.problems().toString());
        // eta = 0 is outside (0, 1], but trials never get the exact end: a note, not a problem.
        assertTrue(
                f.notes().getFirst().contains("ContinuousParameterRanges[eta]: 0 itself"),
                f.notes().toString());
    }
}
