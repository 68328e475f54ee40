package dev.byoe.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.byoe.jobs.api.ApiShapes;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code byoe pipeline run} on the shipped ensemble MLOps definition (examples/pipelines), every
 * step a real job of the jar on real files: train, model, batch transform with filters, evaluation
 * against the approved model, condition, register or fail. Then a failing step, a retry, a stop
 * mid-run, definitions refused before anything runs, and executions started by new data.
 */
class PipelinesIT {
    static final ObjectMapper JSON = new ObjectMapper();
    static final Path ROOT = Path.of(System.getProperty("byoe.root", ".."));
    static final Path MLOPS =
            ROOT.resolve("examples/pipelines/ensemble-mlops.json").toAbsolutePath();
    static final String BUCKET = "s3/amzn-s3-demo-bucket/byoe/mlops";

    /**
     * The diabetes data split as the definition's parameters expect it: 342 rows train, 100 held
     * out.
     */
    static void diabetes(Path root) throws IOException {
        List<String> lines =
                Files.readAllLines(MlLayout.data("diabetes.csv"), StandardCharsets.UTF_8);
        Path data = root.resolve(BUCKET);
        write(data.resolve("train/train.csv"), lines.subList(0, 343));
        List<String> held = new ArrayList<>(List.of(lines.getFirst()));
        held.addAll(lines.subList(343, lines.size()));
        write(data.resolve("holdout/holdout.csv"), held);
        write(data.resolve("holdout-records/records.csv"), lines.subList(343, lines.size()));
    }

    static void write(Path file, List<String> lines) throws IOException {
        Files.createDirectories(file.getParent());
        Files.write(file, lines, StandardCharsets.UTF_8);
    }

    static Byoe.Result byoe(String... args) throws Exception {
        return Byoe.run(Map.of(), args);
    }

    /** {@code registry export} of the group to the definition's approved-model prefix. */
    static void export(Path registry, Path root) throws Exception {
        Byoe.Result r =
                byoe(
                        "registry",
                        "export",
                        "--registry",
                        registry.toString(),
                        "--group",
                        "DiabetesEnsemble",
                        "--to",
                        root.resolve(BUCKET).resolve("approved").toString());
        assertEquals(0, r.exit(), r.all());
    }

    static void approve(Path registry, String group, int version) throws Exception {
        Byoe.Result r =
                byoe(
                        "registry",
                        "approve",
                        "--registry",
                        registry.toString(),
                        "--group",
                        group,
                        "--version",
                        Integer.toString(version));
        assertEquals(0, r.exit(), r.all());
    }

    /** The arguments of {@code pipeline run}. */
    static String[] runArgs(Path root, Path definition, String... more) {
        List<String> args =
                new ArrayList<>(
                        List.of(
                                "pipeline",
                                "run",
                                "--definition",
                                definition.toString(),
                                "--root",
                                root.toString()));
        args.addAll(List.of(more));
        return args.toArray(String[]::new);
    }

    static Byoe.Result pipeline(Path root, Path definition, String... more) throws Exception {
        return byoe(runArgs(root, definition, more));
    }

    /** The newest execution record under {@code root}. */
    static JsonNode lastExecution(Path root) throws IOException {
        try (Stream<Path> dirs = Files.list(root.resolve("executions"))) {
            List<JsonNode> all = new ArrayList<>();
            for (Path d : dirs.toList()) {
                all.add(JSON.readTree(d.resolve("execution.json").toFile()));
            }
            all.sort(
                    (a, b) ->
                            a.path("CreationTime")
                                    .asText()
                                    .compareTo(b.path("CreationTime").asText()));
            return all.getLast();
        }
    }

    static JsonNode step(JsonNode execution, String name) {
        for (JsonNode s : execution.path("PipelineExecutionSteps")) {
            if (s.path("StepName").asText().equals(name)) {
                return s;
            }
        }
        return null;
    }

    /**
     * The record holds SageMaker's answers: DescribePipelineExecution, ListPipelineExecutionSteps,
     * ListPipelineParametersForExecution.
     */
    static void assertShapedLikeSageMaker(JsonNode execution) {
        ApiShapes api = ApiShapes.bundled();
        ObjectNode describe = execution.deepCopy();
        describe.remove(List.of("PipelineExecutionSteps", "PipelineParameters"));
        assertEquals(List.of(), api.check("DescribePipelineExecutionResponse", describe));
        ObjectNode steps = JSON.createObjectNode();
        steps.set("PipelineExecutionSteps", execution.path("PipelineExecutionSteps"));
        assertEquals(List.of(), api.check("ListPipelineExecutionStepsResponse", steps));
        ObjectNode parameters = JSON.createObjectNode();
        parameters.set("PipelineParameters", execution.path("PipelineParameters"));
        assertEquals(
                List.of(), api.check("ListPipelineParametersForExecutionResponse", parameters));
    }

    @Test
    void theMlopsPipelineRegistersANewModelThenRefusesOneNoBetterThanTheApprovedOne(
            @TempDir Path root) throws Exception {
        diabetes(root);
        Path registry = root.resolve("registry");
        export(registry, root);

        Byoe.Result first = pipeline(root, MLOPS);
        assertEquals(0, first.exit(), first.all());
        JsonNode run1 = lastExecution(root);
        assertEquals("Succeeded", run1.path("PipelineExecutionStatus").asText());
        assertShapedLikeSageMaker(run1);
        for (String s :
                List.of(
                        "TrainEnsemble",
                        "NewModel",
                        "ScoreHoldOut",
                        "EvaluateModels",
                        "BetterThanApproved",
                        "RegisterEnsemble")) {
            assertEquals("Succeeded", step(run1, s).path("StepStatus").asText(), s);
        }
        assertEquals(null, step(run1, "NotBetter"), "the else branch never starts");
        assertEquals(
                "True",
                step(run1, "BetterThanApproved").at("/Metadata/Condition/Outcome").asText());
        assertTrue(
                step(run1, "TrainEnsemble")
                        .at("/Metadata/TrainingJob/Arn")
                        .asText()
                        .contains(":training-job/pipelines-"));

        // The batch transform answered every held-out record, joined to its target by the filters.
        String id = run1.path("PipelineExecutionArn").asText().replaceAll(".*/", "");
        Path transformed =
                root.resolve("s3/amzn-s3-demo-bucket/byoe/pipelines/ensemble-mlops/transform")
                        .resolve(id)
                        .resolve("records.csv.out");
        List<String> out = Files.readAllLines(transformed);
        List<String> records =
                Files.readAllLines(root.resolve(BUCKET).resolve("holdout-records/records.csv"));
        assertEquals(records.size(), out.size());
        for (int i = 0; i < out.size(); i++) {
            String[] fields = out.get(i).split(",");
            assertEquals(2, fields.length, out.get(i));
            assertEquals(
                    records.get(i).substring(records.get(i).lastIndexOf(',') + 1),
                    fields[0],
                    "row " + (i + 1) + "'s target");
        }
        JsonNode evaluation =
                JSON.readTree(
                        root.resolve(
                                        "s3/amzn-s3-demo-bucket/byoe/pipelines/ensemble-mlops/evaluation")
                                .resolve(id)
                                .resolve("evaluation.json")
                                .toFile());
        assertEquals(100, evaluation.path("rows").asInt());
        assertTrue(
                evaluation.at("/transform/max_abs_difference").asDouble() < 1e-3,
                evaluation.toString());
        double rmse = evaluation.at("/metrics/rmse/value").asDouble();
        assertTrue(rmse > 30 && rmse < 80, "rmse " + rmse);

        JsonNode v1 =
                JSON.readTree(
                        byoe(
                                        "registry",
                                        "describe",
                                        "--registry",
                                        registry.toString(),
                                        "--group",
                                        "DiabetesEnsemble",
                                        "--version",
                                        "1")
                                .stdout());
        assertEquals("PendingManualApproval", v1.path("ModelApprovalStatus").asText());
        approve(registry, "DiabetesEnsemble", 1);
        export(registry, root);

        // The same data trains the same model: not better than the approved one, so the Fail step.
        Byoe.Result second = pipeline(root, MLOPS);
        assertEquals(1, second.exit(), second.all());
        JsonNode run2 = lastExecution(root);
        assertEquals("Failed", run2.path("PipelineExecutionStatus").asText());
        assertTrue(
                run2.path("FailureReason")
                        .asText()
                        .startsWith("the new model is not better than the approved one: rmse"),
                run2.path("FailureReason").asText());
        assertTrue(
                run2.path("FailureReason").asText().contains("approved version 1"),
                run2.path("FailureReason").asText());
        assertEquals("Failed", step(run2, "NotBetter").path("StepStatus").asText());
        assertEquals(null, step(run2, "RegisterEnsemble"));
        assertShapedLikeSageMaker(run2);
        Byoe.Result list =
                byoe(
                        "registry",
                        "list",
                        "--registry",
                        registry.toString(),
                        "--group",
                        "DiabetesEnsemble");
        assertFalse(list.stdout().contains("DiabetesEnsemble/2"), list.stdout());

        Byoe.Result listed = byoe("pipeline", "list", "--root", root.toString());
        assertTrue(
                listed.stdout().contains(id)
                        && listed.stdout().contains("Succeeded")
                        && listed.stdout().contains("Failed"),
                listed.stdout());
        Byoe.Result described =
                byoe("pipeline", "describe", "--root", root.toString(), "--execution", id);
        assertEquals(
                run1.path("PipelineExecutionArn"),
                JSON.readTree(described.stdout()).path("PipelineExecutionArn"));
    }

    @Test
    void aFailingStepFailsTheExecutionWithItsJobsReasonAndLaterStepsNeverStart(@TempDir Path root)
            throws Exception {
        diabetes(root);
        // A training file without the target column: the training job fails with its failure file.
        Path train = root.resolve(BUCKET).resolve("train/train.csv");
        List<String> noTarget =
                Files.readAllLines(train).stream()
                        .map(l -> l.substring(0, l.lastIndexOf(',')))
                        .toList();
        Files.write(train, noTarget);
        Files.createDirectories(root.resolve(BUCKET).resolve("approved"));
        Files.writeString(root.resolve(BUCKET).resolve("approved/approved.json"), "{}");
        Byoe.Result r = pipeline(root, MLOPS);
        assertEquals(1, r.exit(), r.all());
        JsonNode run = lastExecution(root);
        assertEquals("Failed", run.path("PipelineExecutionStatus").asText());
        String reason = run.path("FailureReason").asText();
        assertTrue(reason.startsWith("Step TrainEnsemble failed: AlgorithmError: "), reason);
        assertTrue(reason.contains("target"), reason);
        assertTrue(
                reason.contains("failure file ")
                        && reason.contains("steps/TrainEnsemble/output/failure"),
                reason);
        assertEquals(
                1,
                run.path("PipelineExecutionSteps").size(),
                "no step after the failed one started: " + run);
        assertShapedLikeSageMaker(run);
    }

    @Test
    void definitionsThatCannotRunAreRefusedBeforeAnythingRuns(@TempDir Path root) throws Exception {
        ObjectNode d = (ObjectNode) JSON.readTree(MLOPS.toFile());
        ObjectNode train = (ObjectNode) d.path("Steps").get(0);
        ((ObjectNode) train.at("/Arguments/AlgorithmSpecification"))
                .put(
                        "TrainingImage",
                        "683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-xgboost:1.7-1");
        ((ObjectNode) d.path("Steps").get(1).at("/Arguments/PrimaryContainer"))
                .set(
                        "ModelDataUrl",
                        JSON.createObjectNode()
                                .put("Get", "Steps.TrainEnsemble.ModelArtefacts.S3ModelArtifacts"));
        Path bad = root.resolve("bad.json");
        JSON.writeValue(bad.toFile(), d);
        Byoe.Result r = pipeline(root.resolve("pipelines"), bad);
        assertEquals(2, r.exit(), r.all());
        assertTrue(
                r.stderr()
                        .contains(
                                "step TrainEnsemble (Training): image '683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-xgboost:1.7-1' is not byoe's"),
                r.stderr());
        assertTrue(
                r.stderr().contains("a Training step has no property 'ModelArtefacts'"),
                r.stderr());
        assertFalse(Files.exists(root.resolve("pipelines/executions")), "nothing ran");
        // Named with --image, the same image is byoe's (the reference is still wrong).
        Byoe.Result named =
                pipeline(
                        root.resolve("pipelines"),
                        bad,
                        "--image",
                        "683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-xgboost:1.7-1");
        assertFalse(named.stderr().contains("is not byoe's"), named.stderr());
        assertEquals(2, named.exit());
    }

    @Test
    void everyShippedDefinitionValidates() throws Exception {
        Path schema =
                ROOT.toAbsolutePath()
                        .normalize()
                        .resolveSibling("shared")
                        .resolve("specs/pipeline-definition.schema.json");
        try (Stream<Path> files = Files.list(ROOT.resolve("examples/pipelines"))) {
            List<Path> definitions =
                    files.filter(f -> f.toString().endsWith(".json")).sorted().toList();
            assertEquals(3, definitions.size(), definitions.toString());
            for (Path f : definitions) {
                List<String> args =
                        new ArrayList<>(
                                List.of(
                                        "pipeline",
                                        "validate",
                                        "--definition",
                                        f.toAbsolutePath().toString()));
                if (Files.isRegularFile(schema)) {
                    args.addAll(List.of("--schema", schema.toString()));
                } else {
                    System.err.println(
                            "PipelinesIT: "
                                    + schema
                                    + " is absent (../shared/specs): definitions checked without the published schema");
                }
                Byoe.Result r = byoe(args.toArray(String[]::new));
                assertEquals(0, r.exit(), f + ": " + r.all());
                assertTrue(r.stdout().contains(": valid;"), r.stdout());
            }
        }
    }

    /**
     * A QualityCheck step with supplied baseline constraints: the held-out rows (the training
     * data's distribution) pass; the same rows with bmi and blood pressure ten times larger fail
     * the step with the violations, as SageMaker's check fails.
     */
    @Test
    void aQualityCheckPassesDataLikeItsBaselineAndFailsOnViolations(@TempDir Path root)
            throws Exception {
        diabetes(root);
        Path bucket = root.resolve(BUCKET);
        Byoe.Result baseline =
                byoe(
                        "monitor",
                        "baseline",
                        "--dataset-source",
                        bucket.resolve("train/train.csv").toString(),
                        "--output-path",
                        bucket.resolve("baseline").toString());
        assertEquals(0, baseline.exit(), baseline.all());
        List<String> held = Files.readAllLines(bucket.resolve("holdout/holdout.csv"));
        List<String> drifted = new ArrayList<>(List.of(held.getFirst()));
        for (String row : held.subList(1, held.size())) {
            String[] f = row.split(",");
            f[2] = Double.toString(Double.parseDouble(f[2]) * 10);
            f[3] = Double.toString(Double.parseDouble(f[3]) * 10);
            drifted.add(String.join(",", f));
        }
        write(bucket.resolve("drifted/drifted.csv"), drifted);
        ObjectNode check =
                (ObjectNode)
                        JSON.readTree(
                                        ROOT.resolve("examples/pipelines/monitor-retrain.json")
                                                .toFile())
                                .at("/Steps/1/Arguments/IfSteps/0");
        check.put("Name", "CheckData").put("SkipCheck", false).put("RegisterNewBaseline", false);
        check.put(
                "SuppliedBaselineConstraints",
                "s3://amzn-s3-demo-bucket/byoe/mlops/baseline/constraints.json");
        check.put(
                "SuppliedBaselineStatistics",
                "s3://amzn-s3-demo-bucket/byoe/mlops/baseline/statistics.json");
        check.remove("ModelPackageGroupName");
        ((ObjectNode) check.at("/Arguments/ProcessingInputs/0/S3Input"))
                .set("S3Uri", JSON.createObjectNode().put("Get", "Parameters.Data"));
        ObjectNode d = JSON.createObjectNode().put("Version", "2020-12-01");
        d.putArray("Parameters")
                .addObject()
                .put("Name", "Data")
                .put("Type", "String")
                .put("DefaultValue", "s3://amzn-s3-demo-bucket/byoe/mlops/holdout/");
        d.putArray("Steps").add(check);
        Path definition = root.resolve("quality-check.json");
        JSON.writeValue(definition.toFile(), d);

        Byoe.Result passes = pipeline(root, definition);
        assertEquals(0, passes.exit(), passes.all());
        JsonNode ok = step(lastExecution(root), "CheckData");
        assertTrue(
                ok.at("/Metadata/QualityCheck/ViolationReport")
                        .asText()
                        .endsWith("constraint_violations.json"),
                ok.toString());

        Byoe.Result fails =
                pipeline(
                        root,
                        definition,
                        "--parameter",
                        "Data=s3://amzn-s3-demo-bucket/byoe/mlops/drifted/");
        assertEquals(1, fails.exit(), fails.all());
        JsonNode failed = step(lastExecution(root), "CheckData");
        assertEquals("Failed", failed.path("StepStatus").asText());
        assertTrue(
                failed.path("FailureReason")
                        .asText()
                        .startsWith("ClientError: Quality check failed: "),
                failed.toString());
        assertTrue(
                failed.path("FailureReason").asText().contains("bmi")
                        || failed.path("FailureReason").asText().contains("bp"),
                failed.toString());
        assertShapedLikeSageMaker(lastExecution(root));
    }
}
