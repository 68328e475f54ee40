package dev.byoe.app;

import static dev.byoe.app.PipelinesIT.JSON;
import static dev.byoe.app.PipelinesIT.lastExecution;
import static dev.byoe.app.PipelinesIT.step;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Running a pipeline as an operator sees it: a job that dies is retried by its step's {@code
 * RetryPolicies}, SIGTERM stops the running jobs and records {@code Stopped}, and {@code
 * --when-new-data} starts an execution for an object that lands under a prefix.
 */
class PipelineControlIT {
    /** A definition of one Training step (the MLOps definition's), rounds and retries as given. */
    private static Path oneTrainingStep(Path root, String rounds, boolean retry) throws Exception {
        ObjectNode d = (ObjectNode) JSON.readTree(PipelinesIT.MLOPS.toFile());
        ObjectNode train = (ObjectNode) d.path("Steps").get(0);
        ((ObjectNode) train.at("/Arguments/HyperParameters"))
                .put("num_round", rounds)
                .put("k_fold", "5");
        if (retry) {
            ArrayNode policies = train.putArray("RetryPolicies");
            policies.addObject()
                    .put("IntervalSeconds", 1)
                    .put("BackoffRate", 2.0)
                    .put("MaxAttempts", 2)
                    .putArray("ExceptionType")
                    .add("SageMaker.JOB_INTERNAL_ERROR");
        }
        ArrayNode steps = d.putArray("Steps");
        steps.add(train);
        Path file = root.resolve("one-step.json");
        JSON.writeValue(file.toFile(), d);
        return file;
    }

    private static Process start(Path root, Path definition, String... more) throws Exception {
        return Byoe.command(Map.of(), PipelinesIT.runArgs(root, definition, more))
                .redirectOutput(root.resolve("out.txt").toFile())
                .redirectError(root.resolve("err.txt").toFile())
                .start();
    }

    /** The step's job: a descendant JVM running {@code byoe <command>}. */
    private static Optional<ProcessHandle> job(Process pipeline, String command) {
        return pipeline.descendants()
                .filter(
                        p ->
                                p.info()
                                        .arguments()
                                        .map(a -> a.length > 0 && a[a.length - 1].equals(command))
                                        .orElse(false))
                .findFirst();
    }

    private static ProcessHandle await(Process pipeline, String command)
            throws InterruptedException {
        for (int i = 0; i < 1200; i++) {
            Optional<ProcessHandle> j = job(pipeline, command);
            if (j.isPresent()) {
                return j.get();
            }
            assertTrue(
                    pipeline.isAlive(),
                    "the pipeline ended before its " + command + " job started");
            Thread.sleep(25);
        }
        throw new AssertionError("no " + command + " job within 30 s");
    }

    @Test
    void aJobThatDiesIsRetriedByItsRetryPolicy(@TempDir Path root) throws Exception {
        PipelinesIT.diabetes(root);
        Process pipeline = start(root, oneTrainingStep(root, "300", true));
        ProcessHandle first = await(pipeline, "train");
        first.destroyForcibly(); // killed: no failure file, as when a host is lost
        assertTrue(pipeline.waitFor(5, TimeUnit.MINUTES));
        String err = Files.readString(root.resolve("err.txt"));
        assertEquals(0, pipeline.exitValue(), err);
        JsonNode run = lastExecution(root);
        JsonNode train = step(run, "TrainEnsemble");
        assertEquals("Succeeded", train.path("StepStatus").asText(), run.toString());
        assertEquals(2, train.path("AttemptCount").asInt());
        assertTrue(err.contains("attempt 1 failed (SageMaker.JOB_INTERNAL_ERROR): retrying"), err);
        PipelinesIT.assertShapedLikeSageMaker(run);
    }

    @Test
    void withoutARetryPolicyAJobThatDiesFailsItsStep(@TempDir Path root) throws Exception {
        PipelinesIT.diabetes(root);
        Process pipeline = start(root, oneTrainingStep(root, "300", false));
        await(pipeline, "train").destroyForcibly();
        assertTrue(pipeline.waitFor(5, TimeUnit.MINUTES));
        assertEquals(1, pipeline.exitValue());
        JsonNode train = step(lastExecution(root), "TrainEnsemble");
        assertEquals("Failed", train.path("StepStatus").asText());
        assertTrue(
                train.path("FailureReason").asText().contains("without writing a failure file"),
                train.toString());
    }

    @Test
    void sigtermStopsTheRunningJobAndRecordsStopped(@TempDir Path root) throws Exception {
        PipelinesIT.diabetes(root);
        Process pipeline = start(root, oneTrainingStep(root, "20000", false));
        ProcessHandle job = await(pipeline, "train");
        Thread.sleep(1500);
        pipeline.destroy(); // SIGTERM, as Ctrl-C or docker stop
        assertTrue(pipeline.waitFor(2, TimeUnit.MINUTES));
        assertTrue(
                job.onExit().toCompletableFuture().isDone() || !job.isAlive(),
                "the training job was stopped too");
        JsonNode run = lastExecution(root);
        assertEquals("Stopped", run.path("PipelineExecutionStatus").asText(), run.toString());
        assertEquals("Stopped", step(run, "TrainEnsemble").path("StepStatus").asText());
        PipelinesIT.assertShapedLikeSageMaker(run);
    }

    @Test
    void newDataUnderThePrefixStartsAnExecutionWithItsUri(@TempDir Path root) throws Exception {
        PipelinesIT.diabetes(root);
        Path approved = root.resolve(PipelinesIT.BUCKET).resolve("approved");
        Files.createDirectories(approved);
        Files.writeString(
                approved.resolve("approved.json"),
                "{\"ModelPackageGroupName\": \"DiabetesEnsemble\"}");
        Path incoming = root.resolve(PipelinesIT.BUCKET).resolve("incoming");
        Files.createDirectories(incoming);
        Files.writeString(incoming.resolve("old.csv"), "already there before the watch");
        Process watcher =
                start(
                        root,
                        PipelinesIT.MLOPS,
                        "--when-new-data",
                        "s3://amzn-s3-demo-bucket/byoe/mlops/incoming/",
                        "--poll-seconds",
                        "1",
                        "--max-executions",
                        "1",
                        "--object-parameter",
                        "TrainData");
        for (int i = 0;
                i < 600 && !Files.readString(root.resolve("err.txt")).contains("watching");
                i++) {
            Thread.sleep(50);
        }
        assertFalse(
                Files.exists(root.resolve("executions")), "an object already there starts nothing");
        Files.copy(
                root.resolve(PipelinesIT.BUCKET).resolve("train/train.csv"),
                incoming.resolve("2026-12-04.csv"));
        assertTrue(watcher.waitFor(5, TimeUnit.MINUTES));
        String err = Files.readString(root.resolve("err.txt"));
        assertEquals(0, watcher.exitValue(), err);
        JsonNode run = lastExecution(root);
        assertEquals("Succeeded", run.path("PipelineExecutionStatus").asText());
        String trainData = "";
        for (JsonNode p : run.path("PipelineParameters")) {
            if (p.path("Name").asText().equals("TrainData")) {
                trainData = p.path("Value").asText();
            }
        }
        assertEquals("s3://amzn-s3-demo-bucket/byoe/mlops/incoming/2026-12-04.csv", trainData);
        try (var s = Files.list(root.resolve("executions"))) {
            assertEquals(1, s.count());
        }
    }
}
