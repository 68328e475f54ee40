package dev.byoe.app;

import static dev.byoe.app.PipelinesIT.JSON;
import static dev.byoe.app.PipelinesIT.lastExecution;
import static dev.byoe.app.PipelinesIT.step;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The log seed as one pipeline (examples/pipelines/log-anomaly.json): raw HDFS logs (the shipped
 * 20,000-line sample) → Drain processing → Bayesian tuning of PCA + DeepLog (+ XGBoost) → condition
 * on the best validation F1 → register, or fail. The second run changes only the threshold: both
 * job steps are cache hits, and the condition takes the Fail branch. Then the registered version is
 * approved, deployed, and answers raw log lines.
 */
class LogAnomalyPipelineIT {
    private static final Path DEFINITION =
            PipelinesIT.ROOT.resolve("examples/pipelines/log-anomaly.json").toAbsolutePath();

    @Test
    void rawLogsToARegisteredDeployedModel(@TempDir Path root) throws Exception {
        Path data = root.resolve("s3/amzn-s3-demo-bucket/byoe/hdfs");
        Files.createDirectories(data.resolve("raw"));
        Files.createDirectories(data.resolve("labels"));
        Files.copy(MlLayout.data("hdfs/HDFS_20000.log.gz"), data.resolve("raw/HDFS_20000.log.gz"));
        Files.copy(
                MlLayout.data("hdfs/HDFS_20000_block_labels.csv"),
                data.resolve("labels/labels.csv"));

        // A threshold any model reaches: the register branch.
        Byoe.Result first = PipelinesIT.pipeline(root, DEFINITION, "--parameter", "Threshold=0");
        assertEquals(0, first.exit(), first.all());
        JsonNode run1 = lastExecution(root);
        PipelinesIT.assertShapedLikeSageMaker(run1);
        assertEquals("Succeeded", step(run1, "RegisterModel").path("StepStatus").asText());
        assertTrue(
                step(run1, "TuneDetectors")
                        .at("/Metadata/TuningJob/Arn")
                        .asText()
                        .contains(":hyper-parameter-tuning-job/"));
        JsonNode processed =
                JSON.readTree(
                        root.resolve(
                                        "s3/amzn-s3-demo-bucket/byoe/pipelines/log-anomaly/processed/summary.json")
                                .toFile());
        assertEquals(20000, processed.path("lines").asInt(), processed.toString());
        String tuning =
                step(run1, "TuneDetectors")
                        .at("/Metadata/TuningJob/Arn")
                        .asText()
                        .replaceAll(".*/", "");
        JsonNode summary =
                JSON.readTree(
                        root.resolve("executions")
                                .resolve(
                                        run1.path("PipelineExecutionArn")
                                                .asText()
                                                .replaceAll(".*/", ""))
                                .resolve("steps/TuneDetectors/tuning/summary.json")
                                .toFile());
        String best = summary.at("/BestTrainingJob/TrainingJobName").asText();
        assertTrue(best.startsWith(tuning), best + " of " + tuning);
        assertTrue(
                Files.isRegularFile(
                        root.resolve("s3/amzn-s3-demo-bucket/byoe/pipelines/log-anomaly/models")
                                .resolve(best)
                                .resolve("output/model.tar.gz")));
        Path registry = root.resolve("registry");
        JsonNode v1 =
                JSON.readTree(
                        PipelinesIT.byoe(
                                        "registry",
                                        "describe",
                                        "--registry",
                                        registry.toString(),
                                        "--group",
                                        "LogAnomalyDetection",
                                        "--version",
                                        "1")
                                .stdout());
        assertEquals("PendingManualApproval", v1.path("ModelApprovalStatus").asText());

        // Only the threshold changes: processing and tuning are cache hits; the Fail branch runs.
        Byoe.Result second =
                PipelinesIT.pipeline(root, DEFINITION, "--parameter", "Threshold=1.01");
        assertEquals(1, second.exit(), second.all());
        JsonNode run2 = lastExecution(root);
        for (String s : List.of("ProcessLogs", "TuneDetectors")) {
            assertEquals(
                    run1.path("PipelineExecutionArn").asText(),
                    step(run2, s).at("/CacheHitResult/SourcePipelineExecutionArn").asText(),
                    s);
        }
        assertTrue(second.stderr().contains("cache hit: not run again"), second.stderr());
        assertEquals("False", step(run2, "CheckF1").at("/Metadata/Condition/Outcome").asText());
        assertTrue(
                run2.path("FailureReason")
                        .asText()
                        .matches("the best validation F1 [0-9.]+ is below the threshold 1.01"),
                run2.path("FailureReason").asText());
        assertEquals(null, step(run2, "RegisterModel"));
        assertFalse(Files.exists(registry.resolve("LogAnomalyDetection/2")));

        // Approve, deploy, and send raw log lines of two blocks.
        PipelinesIT.approve(registry, "LogAnomalyDetection", 1);
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Process deploy =
                Byoe.command(
                                Map.of(),
                                "deploy",
                                "--registry",
                                registry.toString(),
                                "--group",
                                "LogAnomalyDetection",
                                "--stage",
                                "production",
                                "--port",
                                Integer.toString(port),
                                "--folder",
                                root.resolve("deploy").toString())
                        .redirectErrorStream(true)
                        .redirectOutput(root.resolve("deploy.log").toFile())
                        .start();
        try {
            HttpClient http = HttpClient.newHttpClient();
            URI base = URI.create("http://127.0.0.1:" + port);
            awaitHealthy(http, base, deploy, root.resolve("deploy.log"));
            List<String> lines = new java.util.ArrayList<>();
            try (var in =
                    new java.util.zip.GZIPInputStream(
                            Files.newInputStream(MlLayout.data("hdfs/HDFS_20000.log.gz")))) {
                for (String l : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                    if (l.contains("blk_-1608999687919862906")
                            || l.contains("blk_7503483334202473044")) {
                        lines.add(l);
                    }
                }
            }
            HttpResponse<String> answer =
                    http.send(
                            HttpRequest.newBuilder(base.resolve("/invocations"))
                                    .header("Content-Type", "text/plain")
                                    .header("Accept", "application/jsonlines")
                                    .POST(
                                            HttpRequest.BodyPublishers.ofString(
                                                    String.join("\n", lines)))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            assertEquals(200, answer.statusCode(), answer.body());
            List<String> verdicts = answer.body().lines().filter(l -> !l.isBlank()).toList();
            assertEquals(2, verdicts.size(), answer.body());
            for (String v : verdicts) {
                // One JSON document per line, nothing before it.
                assertTrue(v.startsWith("{\"id\":\"blk_"), v);
            }
            assertTrue(
                    answer.body().contains("blk_-1608999687919862906")
                            && answer.body().contains("blk_7503483334202473044"),
                    answer.body());
        } finally {
            deploy.destroy();
            deploy.waitFor(30, TimeUnit.SECONDS);
        }
        assertTrue(
                Files.readString(root.resolve("deploy.log"))
                        .contains("LogAnomalyDetection version 1 (production)"));
    }

    static void awaitHealthy(HttpClient http, URI base, Process server, Path log) throws Exception {
        for (int i = 0; i < 600; i++) {
            assertTrue(server.isAlive(), () -> "the deployment ended: " + read(log));
            try {
                if (http.send(
                                        HttpRequest.newBuilder(base.resolve("/ping")).build(),
                                        HttpResponse.BodyHandlers.discarding())
                                .statusCode()
                        == 200) {
                    return;
                }
            } catch (java.io.IOException e) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        throw new AssertionError("not healthy in 60 s: " + read(log));
    }

    private static String read(Path log) {
        try {
            return Files.readString(log);
        } catch (java.io.IOException e) {
            return e.toString();
        }
    }
}
