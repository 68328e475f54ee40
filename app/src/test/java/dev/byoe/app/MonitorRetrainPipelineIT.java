package dev.byoe.app;

import static dev.byoe.app.PipelinesIT.JSON;
import static dev.byoe.app.PipelinesIT.lastExecution;
import static dev.byoe.app.PipelinesIT.step;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The loop around the pipelines: the MLOps pipeline registers version 1, which is approved and
 * deployed with data capture; drifted requests reach it; the monitor-retrain pipeline finds the
 * violations in the captured data and retrains (with a quality check baselining the new data); the
 * retrained version is approved and the deployment swaps to it while requests keep coming, none of
 * them dropped. Without violations, nothing is retrained.
 */
class MonitorRetrainPipelineIT {
    private static final Path DEFINITION =
            PipelinesIT.ROOT.resolve("examples/pipelines/monitor-retrain.json").toAbsolutePath();
    private static final String ROW = "59,2,32.1,101.0,157,93.2,38.0,4.0,4.8598,87";

    @Test
    void driftInCapturedRequestsRetrainsAndTheDeploymentSwapsWithoutDroppingRequests(
            @TempDir Path root) throws Exception {
        PipelinesIT.diabetes(root);
        Path bucket = root.resolve(PipelinesIT.BUCKET);
        Path registry = root.resolve("registry");
        PipelinesIT.export(registry, root);
        assertEquals(0, PipelinesIT.pipeline(root, PipelinesIT.MLOPS).exit());
        PipelinesIT.approve(registry, "DiabetesEnsemble", 1);
        Byoe.Result baseline =
                PipelinesIT.byoe(
                        "monitor",
                        "baseline",
                        "--dataset-source",
                        bucket.resolve("train/train.csv").toString(),
                        "--output-path",
                        bucket.resolve("baseline").toString());
        assertEquals(0, baseline.exit(), baseline.all());

        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path deployed = root.resolve("deploy");
        Process deploy = deploy(registry, port, deployed, root.resolve("deploy.log"));
        HttpClient http = HttpClient.newHttpClient();
        URI base = URI.create("http://127.0.0.1:" + port);
        try {
            LogAnomalyPipelineIT.awaitHealthy(http, base, deploy, root.resolve("deploy.log"));
            String before = invoke(http, base, ROW).body();
            // Requests far outside the training data: bmi and blood pressure ten times larger.
            for (int i = 0; i < 30; i++) {
                assertEquals(
                        200,
                        invoke(
                                        http,
                                        base,
                                        "59,2,321.0,1010.0,157,93.2,38.0,4.0,4.8598,87\n48,1,216.0,870.0,183,103.2,70.0,3.0,3.8918,69")
                                .statusCode());
            }
            deploy.destroy();
            deploy.waitFor(30, TimeUnit.SECONDS);
            MlLayout.copyTree(deployed.resolve("capture"), bucket.resolve("capture"));

            // The retrained model learns from other rows, so its answers differ.
            List<String> lines = Files.readAllLines(bucket.resolve("train/train.csv"));
            PipelinesIT.write(bucket.resolve("train-later/train.csv"), lines.subList(0, 250));
            Byoe.Result retrain =
                    PipelinesIT.pipeline(
                            root,
                            DEFINITION,
                            "--parameter",
                            "TrainData=s3://amzn-s3-demo-bucket/byoe/mlops/train-later/");
            assertEquals(0, retrain.exit(), retrain.all());
            JsonNode run = lastExecution(root);
            PipelinesIT.assertShapedLikeSageMaker(run);
            assertEquals(
                    "True", step(run, "DriftFound").at("/Metadata/Condition/Outcome").asText());
            for (String s : List.of("BaselineTrainData", "Retrain", "RegisterRetrained")) {
                assertEquals("Succeeded", step(run, s).path("StepStatus").asText(), s);
            }
            assertTrue(
                    step(run, "BaselineTrainData")
                            .at("/Metadata/QualityCheck/CalculatedBaselineConstraints")
                            .asText()
                            .endsWith("/constraints.json"));
            String id = run.path("PipelineExecutionArn").asText().replaceAll(".*/", "");
            JsonNode v2 =
                    JSON.readTree(
                            registry.resolve("DiabetesEnsemble/2/model-package.json").toFile());
            assertTrue(
                    v2.at("/DriftCheckBaselines/ModelDataQuality/Constraints/S3Uri")
                            .asText()
                            .endsWith("/constraints.json"),
                    v2.toString());
            JsonNode summary =
                    JSON.readTree(
                            root.resolve(
                                            "s3/amzn-s3-demo-bucket/byoe/pipelines/monitor-retrain/monitoring")
                                    .resolve(id)
                                    .resolve("monitoring_summary.json")
                                    .toFile());
            assertTrue(summary.path("violations").asInt() > 0, summary.toString());

            // Deploy version 1 again, approve version 2 while requests keep coming.
            deploy = deploy(registry, port, deployed, root.resolve("deploy2.log"));
            LogAnomalyPipelineIT.awaitHealthy(http, base, deploy, root.resolve("deploy2.log"));
            AtomicBoolean firing = new AtomicBoolean(true);
            ConcurrentLinkedQueue<Integer> statuses = new ConcurrentLinkedQueue<>();
            Thread load =
                    Thread.ofPlatform()
                            .start(
                                    () -> {
                                        while (firing.get()) {
                                            try {
                                                statuses.add(invoke(http, base, ROW).statusCode());
                                            } catch (Exception e) {
                                                statuses.add(-1);
                                            }
                                        }
                                    });
            PipelinesIT.approve(registry, "DiabetesEnsemble", 2);
            for (int i = 0;
                    i < 300
                            && !Files.readString(root.resolve("deploy2.log"))
                                    .contains("now serving DiabetesEnsemble version 2");
                    i++) {
                Thread.sleep(100);
            }
            Thread.sleep(500);
            firing.set(false);
            load.join();
            assertTrue(
                    Files.readString(root.resolve("deploy2.log"))
                            .contains("now serving DiabetesEnsemble version 2 (was 1)"));
            assertTrue(statuses.size() > 20, "requests during the swap: " + statuses.size());
            assertTrue(
                    statuses.stream().allMatch(s -> s == 200),
                    "every request during the swap answered: " + statuses);
            assertNotEquals(before, invoke(http, base, ROW).body(), "version 2 answers");
        } finally {
            deploy.destroy();
            deploy.waitFor(30, TimeUnit.SECONDS);
        }

        // The captured data within what is allowed: the else branch is empty and nothing retrains.
        Byoe.Result quiet =
                PipelinesIT.pipeline(root, DEFINITION, "--parameter", "AllowedViolations=1000");
        assertEquals(0, quiet.exit(), quiet.all());
        JsonNode calm = lastExecution(root);
        assertEquals("False", step(calm, "DriftFound").at("/Metadata/Condition/Outcome").asText());
        assertEquals(2, calm.path("PipelineExecutionSteps").size(), calm.toString());
    }

    /** {@code byoe deploy} of the group's approved version, reading the registry every second. */
    private static Process deploy(Path registry, int port, Path folder, Path log) throws Exception {
        return Byoe.command(
                        Map.of(),
                        "deploy",
                        "--registry",
                        registry.toString(),
                        "--group",
                        "DiabetesEnsemble",
                        "--port",
                        Integer.toString(port),
                        "--folder",
                        folder.toString(),
                        "--poll-seconds",
                        "1")
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
    }

    private static HttpResponse<String> invoke(HttpClient http, URI base, String body)
            throws Exception {
        return http.send(
                HttpRequest.newBuilder(base.resolve("/invocations"))
                        .header("Content-Type", "text/csv")
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
