package dev.byoe.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Docker image, run the way SageMaker runs it: {@code train} with /opt/ml mounted from the
 * host, {@code serve} published on a port, as root and as a non-root user on a read-only root file
 * system with a 1 GiB memory limit (serverless), batch transform, and {@code docker stop}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ImageContainerCheck {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ROW = "59,2,32.1,101.0,157,93.2,38.0,4.0,4.8598,87";
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final List<String> containers = new ArrayList<>();

    Path ml;
    Byoe.Result training;

    @BeforeAll
    void trainInTheContainer(@TempDir Path tmp) throws Exception {
        ml = tmp.resolve("ml");
        new MlLayout(ml)
                .hyperparameters(
                        Map.of("target_column", "target", "k_fold", "3", "num_round", "50"))
                .channel("train", MlLayout.data("diabetes.csv"));
        openUp(tmp);
        training = Docker.run("run", "--rm", "-v", ml + ":/opt/ml", Docker.IMAGE, "train");
        openUp(tmp);
    }

    @AfterAll
    void removeContainers() throws Exception {
        for (String id : containers) {
            Docker.run("rm", "-f", id);
        }
    }

    @Test
    void trainWritesTheModelAndPrintsMetricLines() {
        assertEquals(0, training.exit(), training.all());
        assertTrue(Files.isRegularFile(ml.resolve("model/manifest.json")));
        assertTrue(Files.isRegularFile(ml.resolve("model/members/xgboost/model.ubj")));
        assertTrue(Files.isRegularFile(ml.resolve("model/members/catboost/model.cbm")));
        assertEquals(
                1,
                DiabetesEndToEndIT.captures(
                                java.util.regex.Pattern.compile("validation-rmse:([0-9\\.]+)"),
                                training.all())
                        .size(),
                training.all());
        assertFalse(
                training.all().contains("[aot]"),
                "a clean log: training uses a cache recorded with its modules: " + training.all());
    }

    @Test
    void aBadHyperparameterFailsTheContainerWithAFailureFile(@TempDir Path tmp) throws Exception {
        Path bad = tmp.resolve("ml");
        new MlLayout(bad)
                .hyperparameters(Map.of("target_column", "target", "eta", "2"))
                .channel("train", MlLayout.data("diabetes.csv"));
        openUp(tmp);
        Byoe.Result r = Docker.run("run", "--rm", "-v", bad + ":/opt/ml", Docker.IMAGE, "train");
        assertNotEquals(0, r.exit(), r.all());
        assertTrue(
                Files.readString(bad.resolve("output/failure"))
                        .contains("eta='2' is out of range"));
    }

    @Test
    void servesCsvAndJsonOnThePublishedPort() throws Exception {
        int port = freePort();
        String id = start("-p", "127.0.0.1:" + port + ":8080", "-v", ml + ":/opt/ml");
        awaitHealthy(port);
        String log = Docker.run("logs", id).all();
        assertFalse(log.contains("[aot]"), "the AOT cache the image ships is used: " + log);
        HttpResponse<String> csv = post(port, "text/csv", ROW + "\n" + ROW);
        assertEquals(200, csv.statusCode(), csv.body());
        assertEquals(2, csv.body().strip().split("\n").length);
        HttpResponse<String> json =
                post(port, "application/json", "{\"instances\": [[" + ROW + "]]}");
        assertEquals(200, json.statusCode(), json.body());
        double score = JSON.readTree(json.body()).at("/predictions/0/score").asDouble();
        assertEquals(Double.parseDouble(csv.body().split("\n")[0]), score, 1e-12);
        // Both members' trees are walked in Java: answering never loaded either native library
        // (loading CatBoost's was the largest single item of a cold start).
        String maps = Docker.ok("exec", id, "cat", "/proc/1/maps");
        assertFalse(maps.contains("catboost"), "CatBoost's native library was loaded");
        assertFalse(maps.contains("xgboost"), "XGBoost's native library was loaded");
    }

    @Test
    void servesWithTheCollectorTheUserPicks() throws Exception {
        // The image's parallel collector gives way to the user's: two on one command line stop the
        // JVM before it starts. ZGC cannot map the AOT cache, so it is not asked to (no error in
        // the log).
        // The flag, and the prefix of its memory pools' names.
        for (var collector : Map.of("-XX:+UseG1GC", "G1", "-XX:+UseZGC", "ZGC").entrySet()) {
            int port = freePort();
            String id =
                    start(
                            "-p",
                            "127.0.0.1:" + port + ":8080",
                            "-e",
                            "JAVA_TOOL_OPTIONS=" + collector.getKey(),
                            "-v",
                            ml + ":/opt/ml");
            awaitHealthy(port);
            HttpResponse<String> csv = post(port, "text/csv", ROW + "\n" + ROW);
            assertEquals(200, csv.statusCode(), collector + ": " + csv.body());
            assertEquals(2, csv.body().strip().split("\n").length);
            String metrics = get(port, "/metrics").body();
            assertTrue(
                    metrics.contains("id=\"" + collector.getValue() + " "),
                    collector + "'s pools in /metrics: " + metrics);
            String log = Docker.run("logs", id).all();
            assertFalse(log.contains("[aot]"), collector + ": " + log);
        }
    }

    @Test
    void honoursSageMakerBindToPort() throws Exception {
        int port = freePort();
        start(
                "-p",
                "127.0.0.1:" + port + ":9191",
                "-e",
                "SAGEMAKER_BIND_TO_PORT=9191",
                "-v",
                ml + ":/opt/ml");
        awaitHealthy(port);
        assertEquals(200, post(port, "text/csv", ROW).statusCode());
    }

    @Test
    void servesAsNonRootOnAReadOnlyFileSystemIn1GiBAndUnpacksNothing() throws Exception {
        int port = freePort();
        String id =
                start(
                        "-p",
                        "127.0.0.1:" + port + ":8080",
                        "-v",
                        ml + ":/opt/ml:ro",
                        "--user",
                        "65534:65534",
                        "--read-only",
                        "--tmpfs",
                        "/tmp",
                        "--memory",
                        "1g",
                        "--memory-swap",
                        "1g");
        awaitHealthy(port);
        assertEquals(200, post(port, "text/csv", ROW).statusCode());
        assertEquals(200, post(port, "application/json", "[" + ROW + "]").statusCode());
        assertEquals(
                "",
                Docker.ok("exec", id, "sh", "-c", "ls -A /tmp"),
                "native libraries come pre-unpacked");
        assertEquals("65534", Docker.ok("exec", id, "id", "-u"));
        assertEquals(
                "java",
                Docker.ok("exec", id, "cat", "/proc/1/comm").strip(),
                "the JVM is PID 1 and gets SIGTERM");
    }

    @Test
    void trainsAndServesALogAnomalyModel(@TempDir Path tmp) throws Exception {
        Path logs = tmp.resolve("ml");
        new MlLayout(logs)
                .hyperparameters(
                        Map.of(
                                "task",
                                "log_anomaly",
                                "members",
                                "pca,deeplog",
                                "deeplog.epochs",
                                "3"))
                .channel("train", MlLayout.data("hdfs/sessions-train.csv"))
                .channel("validation", MlLayout.data("hdfs/sessions-validation.csv"));
        openUp(tmp);
        Byoe.Result r = Docker.run("run", "--rm", "-v", logs + ":/opt/ml", Docker.IMAGE, "train");
        openUp(tmp);
        assertEquals(0, r.exit(), r.all());
        assertFalse(r.all().contains("[aot]"), r.all());
        assertTrue(
                r.all().contains("Java forward pass (vector-"),
                "the image runs DeepLog with the Vector API: " + r.all());
        assertTrue(
                r.all().contains("deeplog: unpacked ND4J's native libraries"),
                "ND4J's libraries come from the image's archive, not the jar: " + r.all());
        assertTrue(
                r.stdout().contains("pca-validation-f1="),
                "PCA trained on the OpenBLAS the entry point unpacked: " + r.all());
        assertTrue(r.stdout().contains("validation-f1:"), r.all());
        int port = freePort();
        String id =
                start(
                        "-p",
                        "127.0.0.1:" + port + ":8080",
                        "-v",
                        logs + ":/opt/ml:ro",
                        "--user",
                        "65534:65534",
                        "--read-only",
                        "--tmpfs",
                        "/tmp:noexec");
        awaitHealthy(port);
        // The scalar pass answers at once; the vector pass, on the Vector API module serving loads
        // itself, takes over once compiled.
        String log =
                LogWait.until(
                        () -> Docker.run("logs", id).all(),
                        LogWait.VECTOR_PASS_ANSWERS,
                        Duration.ofSeconds(90));
        assertFalse(log.contains("[aot]"), "the DeepLog cache the image ships is used: " + log);
        assertTrue(log.contains("deeplog: forward pass scalar until the vector pass"), log);
        assertTrue(log.contains("the vector pass (vector-"), log);
        HttpResponse<String> answer =
                post(
                        port,
                        "text/csv",
                        "b1,E22 E5 E5 E5 E26 E26 E26 E11 E9 E11 E9 E11 E9\nb2,E22 E5 E28\n");
        assertEquals(200, answer.statusCode(), answer.body());
        assertTrue(
                answer.body().startsWith("b1,0,") && answer.body().contains("b2,1,"),
                answer.body());
    }

    @Test
    void largeValidJsonBodiesDoNotDriveA1GiBContainerToItsLimit() throws Exception {
        int port = freePort();
        String id =
                start(
                        "-p",
                        "127.0.0.1:" + port + ":8080",
                        "-v",
                        ml + ":/opt/ml:ro",
                        "--memory",
                        "1g",
                        "--memory-swap",
                        "1g");
        awaitHealthy(port);
        // About 5.9 MiB of JSON rows, just under SageMaker's 6 MiB, from 16 clients at once for 20
        // s.
        StringBuilder json = new StringBuilder("{\"instances\": [");
        while (json.length() < 5.9 * 1024 * 1024) {
            json.append(json.length() > 20 ? "," : "").append('[').append(ROW).append(']');
        }
        byte[] body =
                json.append("]}").toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        java.util.Map<Integer, Integer> statuses = new java.util.concurrent.ConcurrentHashMap<>();
        long end = System.nanoTime() + 20_000_000_000L;
        List<Thread> clients = new ArrayList<>();
        for (int t = 0; t < 16; t++) {
            clients.add(
                    Thread.ofPlatform()
                            .start(
                                    () -> {
                                        while (System.nanoTime() < end) {
                                            try {
                                                HttpResponse<Void> r =
                                                        http.send(
                                                                HttpRequest.newBuilder(
                                                                                URI.create(
                                                                                        "http://127.0.0.1:"
                                                                                                + port
                                                                                                + "/invocations"))
                                                                        .timeout(
                                                                                Duration.ofSeconds(
                                                                                        120))
                                                                        .header(
                                                                                "Content-Type",
                                                                                "application/json")
                                                                        .header(
                                                                                "Accept",
                                                                                "text/csv")
                                                                        .POST(
                                                                                HttpRequest
                                                                                        .BodyPublishers
                                                                                        .ofByteArray(
                                                                                                body))
                                                                        .build(),
                                                                HttpResponse.BodyHandlers
                                                                        .discarding());
                                                statuses.merge(r.statusCode(), 1, Integer::sum);
                                            } catch (Exception e) {
                                                statuses.merge(-1, 1, Integer::sum);
                                            }
                                        }
                                    }));
        }
        for (Thread t : clients) {
            t.join();
        }
        assertTrue(statuses.getOrDefault(200, 0) > 0, statuses.toString());
        assertTrue(
                statuses.keySet().stream().allMatch(s -> s == 200 || s == 503),
                "only answers or 'busy, retry': " + statuses);
        assertEquals(
                "running false",
                Docker.ok("inspect", "-f", "{{.State.Status}} {{.State.OOMKilled}}", id));
        long peakKb =
                Long.parseLong(
                        Docker.ok("exec", id, "sh", "-c", "grep VmHWM /proc/1/status")
                                .replaceAll("\\D", ""));
        assertTrue(
                peakKb < 0.95 * 1024 * 1024,
                "peak resident memory " + peakKb / 1024 + " MB in a 1024 MB container");
    }

    @Test
    void theHeapIsSizedFromTheContainerLimit() throws Exception {
        Byoe.Result r =
                Docker.run(
                        "run",
                        "--rm",
                        "--memory",
                        "1g",
                        "-e",
                        "JAVA_TOOL_OPTIONS=-Xlog:gc+init",
                        Docker.IMAGE,
                        "version");
        assertEquals(0, r.exit(), r.all());
        String line =
                r.stdout()
                        .lines()
                        .filter(l -> l.contains("Heap Max Capacity"))
                        .findFirst()
                        .orElseThrow();
        int mb = Integer.parseInt(line.replaceAll(".*Heap Max Capacity: (\\d+)M.*", "$1"));
        assertTrue(mb > 600 && mb < 760, "70% of 1 GiB expected: " + line);
    }

    @Test
    void aBadHeapSettingFailsTheJobWithItsReason(@TempDir Path tmp) throws Exception {
        // Given to the JVM as it was, "50%" stopped it with "Improperly specified VM option
        // 'MaxRAMPercentage=50%'" and no failure file.
        Path root = tmp.resolve("ml");
        Files.createDirectories(root);
        openUp(tmp);
        String reason = "BYOE_HEAP_PERCENT must be a percentage of the memory above 0";
        for (String[] job :
                List.of(
                        new String[] {"train", "50%", "output/failure"},
                        new String[] {"process", "0", "output/message"})) {
            Byoe.Result r =
                    Docker.run(
                            "run",
                            "--rm",
                            "-v",
                            root + ":/opt/ml",
                            "-e",
                            "BYOE_HEAP_PERCENT=" + job[1],
                            Docker.IMAGE,
                            job[0]);
            assertEquals(2, r.exit(), r.all());
            assertTrue(Files.readString(root.resolve(job[2])).contains(reason), job[0]);
        }
        Byoe.Result serve =
                Docker.run("run", "--rm", "-e", "BYOE_HEAP_PERCENT=150", Docker.IMAGE, "serve");
        assertEquals(2, serve.exit(), serve.all());
        assertTrue(serve.stderr().contains(reason + " and at most 100, not '150'"), serve.all());
        assertFalse(serve.all().contains("Java Virtual Machine"), serve.all());
    }

    @Test
    void servingCapsTheYoungGenerationUnlessTheUserSizesIt() throws Exception {
        long mb = 1L << 20;
        assertEquals(1024 * mb, maxNewSize("8g", "serve"));
        assertEquals(200 * mb, maxNewSize("8g", "serve", "BYOE_YOUNG_MAX_MB=200"));
        assertEquals(64 * mb, maxNewSize("8g", "serve", "JAVA_TOOL_OPTIONS=-Xmn64m"));
        // Lifted: the collector's own bound, a third of the heap (4 GB of 8).
        long lifted = maxNewSize("8g", "serve", "BYOE_YOUNG_MAX_MB=0");
        assertTrue(lifted > 1024 * mb, "no cap with BYOE_YOUNG_MAX_MB=0: " + lifted);
        long training = maxNewSize("8g", "train");
        assertTrue(training > 1024 * mb, "training keeps the collector's bound: " + training);
        // Where the collector's bound is below the cap the flag stays out: given to a 512 MB heap
        // it would leave the old generation too small for the AOT cache, and the JVM would not
        // start. That holds for a heap the user sets, wherever they set it.
        assertEquals(maxNewSize("1g", "serve", "BYOE_YOUNG_MAX_MB=0"), maxNewSize("1g", "serve"));
        assertEquals(
                maxNewSize("8g", "serve", "BYOE_YOUNG_MAX_MB=0", "JAVA_TOOL_OPTIONS=-Xmx512m"),
                maxNewSize("8g", "serve", "JAVA_TOOL_OPTIONS=-Xmx512m"));
        assertEquals(
                maxNewSize("8g", "serve", "BYOE_YOUNG_MAX_MB=0", "JDK_JAVA_OPTIONS=-Xmx2g"),
                maxNewSize("8g", "serve", "JDK_JAVA_OPTIONS=-Xmx2g"));
        assertEquals(
                maxNewSize(
                        "8g",
                        "serve",
                        "BYOE_YOUNG_MAX_MB=0",
                        "_JAVA_OPTIONS=-XX:MaxRAMPercentage=10"),
                maxNewSize("8g", "serve", "_JAVA_OPTIONS=-XX:MaxRAMPercentage=10"));
        // A heap the user makes larger than the image's still gets the cap.
        assertEquals(1024 * mb, maxNewSize("2g", "serve", "JAVA_TOOL_OPTIONS=-Xmx6g"));
        assertEquals(1024 * mb, maxNewSize("2g", "serve", "JAVA_TOOL_OPTIONS=-XX:MaxRAM=16g"));
        // A heap percentage in the JVM options is the user's, not overridden by the image's 50%.
        long quarter =
                finalFlag(
                        "MaxHeapSize", "8g", "serve", "JAVA_TOOL_OPTIONS=-XX:MaxRAMPercentage=25");
        assertTrue(Math.abs(quarter - 2048 * mb) < 64 * mb, "25% of 8 GiB: " + quarter);
        long decimal = finalFlag("MaxHeapSize", "8g", "serve", "BYOE_HEAP_PERCENT=37.5");
        assertTrue(Math.abs(decimal - 3072 * mb) < 64 * mb, "37.5% of 8 GiB: " + decimal);
        // Another collector sizes its own young generation.
        assertNotEquals(1024 * mb, maxNewSize("8g", "serve", "JAVA_TOOL_OPTIONS=-XX:+UseG1GC"));
        Byoe.Result wrong =
                Docker.run(
                        "run",
                        "--rm",
                        "-e",
                        "BYOE_YOUNG_MAX_MB=1g",
                        Docker.IMAGE,
                        "serve",
                        "--help");
        assertEquals(2, wrong.exit(), wrong.all());
        assertTrue(
                wrong.stderr().contains("BYOE_YOUNG_MAX_MB must be a whole number"), wrong.all());
    }

    /**
     * The JVM's final MaxNewSize when the entry point runs {@code command --help} in a container
     * limited to {@code memory} with the environment {@code env} ("NAME=value";
     * -XX:+PrintFlagsFinal is added to JAVA_TOOL_OPTIONS).
     */
    private static long maxNewSize(String memory, String command, String... env) throws Exception {
        return finalFlag("MaxNewSize", memory, command, env);
    }

    /** As {@link #maxNewSize}, for any of the JVM's size_t flags. */
    private static long finalFlag(String flag, String memory, String command, String... env)
            throws Exception {
        String toolOptions = "-XX:+PrintFlagsFinal";
        List<String> args = new ArrayList<>(List.of("run", "--rm", "--memory", memory));
        for (String variable : env) {
            if (variable.startsWith("JAVA_TOOL_OPTIONS=")) {
                toolOptions += " " + variable.substring("JAVA_TOOL_OPTIONS=".length());
            } else {
                args.addAll(List.of("-e", variable));
            }
        }
        args.addAll(
                List.of("-e", "JAVA_TOOL_OPTIONS=" + toolOptions, Docker.IMAGE, command, "--help"));
        Byoe.Result r = Docker.run(args.toArray(String[]::new));
        assertEquals(0, r.exit(), r.all());
        String line =
                r.stdout()
                        .lines()
                        .filter(l -> l.matches("\\s*size_t " + flag + "\\s+=.*"))
                        .findFirst()
                        .orElseThrow(() -> new AssertionError("no " + flag + " in " + r.all()));
        return Long.parseLong(line.replaceAll(".*=\\s*(\\d+).*", "$1"));
    }

    @Test
    void batchTransformAsksForExecutionParameters() throws Exception {
        int port = freePort();
        start(
                "-p",
                "127.0.0.1:" + port + ":8080",
                "-v",
                ml + ":/opt/ml",
                "-e",
                "SAGEMAKER_BATCH=true",
                "-e",
                "SAGEMAKER_MAX_PAYLOAD_IN_MB=20",
                "-e",
                "SAGEMAKER_BATCH_STRATEGY=MULTI_RECORD");
        awaitHealthy(port);
        JsonNode p = JSON.readTree(get(port, "/execution-parameters").body());
        assertEquals(20, p.get("MaxPayloadInMB").asInt());
        assertEquals(
                "MultiRecord",
                p.get("BatchStrategy").asText(),
                "the API's spelling of the environment's MULTI_RECORD");
        StringBuilder body = new StringBuilder();
        for (int i = 0; i < 5000; i++) {
            body.append(ROW).append('\n');
        }
        HttpResponse<String> r = post(port, "text/csv", body.toString());
        assertEquals(200, r.statusCode());
        assertEquals(5000, r.body().strip().split("\n").length, "one answer per record, in order");
    }

    @Test
    void servesAModelDeliveredAsModelTarGz(@TempDir Path tmp) throws Exception {
        // SageMaker downloads model.tar.gz (what training uploaded) and extracts it into
        // /opt/ml/model.
        Path tarball = tmp.resolve("model.tar.gz");
        assertEquals(
                0,
                new ProcessBuilder(
                                "tar",
                                "-czf",
                                tarball.toString(),
                                "-C",
                                ml.resolve("model").toString(),
                                ".")
                        .inheritIO()
                        .start()
                        .waitFor());
        Path extracted = Files.createDirectories(tmp.resolve("opt-ml/model"));
        assertEquals(
                0,
                new ProcessBuilder("tar", "-xzf", tarball.toString(), "-C", extracted.toString())
                        .inheritIO()
                        .start()
                        .waitFor());
        openUp(tmp);
        int port = freePort();
        start("-p", "127.0.0.1:" + port + ":8080", "-v", extracted + ":/opt/ml/model:ro");
        awaitHealthy(port);
        assertEquals(200, post(port, "text/csv", ROW).statusCode());
    }

    @Test
    void dockerStopEndsServingCleanly() throws Exception {
        int port = freePort();
        String id = start("-p", "127.0.0.1:" + port + ":8080", "-v", ml + ":/opt/ml");
        awaitHealthy(port);
        Docker.ok("stop", "-t", "30", id);
        assertEquals(
                "0", Docker.ok("inspect", "-f", "{{.State.ExitCode}}", id), Docker.ok("logs", id));
        assertTrue(Docker.run("logs", id).all().contains("SIGTERM"));
    }

    @Test
    void aPipelineRunsItsStepsInTheImageWithDocker(@TempDir Path tmp) throws Exception {
        PipelinesIT.diabetes(tmp);
        Path approved = tmp.resolve(PipelinesIT.BUCKET).resolve("approved");
        Files.createDirectories(approved);
        Files.writeString(approved.resolve("approved.json"), "{}");
        Byoe.Result r =
                PipelinesIT.pipeline(
                        tmp, PipelinesIT.MLOPS, "--docker", "--byoe-image", Docker.IMAGE);
        assertEquals(0, r.exit(), r.all());
        JsonNode run = PipelinesIT.lastExecution(tmp);
        assertEquals("Succeeded", run.path("PipelineExecutionStatus").asText());
        assertEquals(
                "Succeeded", PipelinesIT.step(run, "RegisterEnsemble").path("StepStatus").asText());
        // The jobs ran in containers of the image (their logs are the containers' output).
        String id = run.path("PipelineExecutionArn").asText().replaceAll(".*/", "");
        Path steps = tmp.resolve("executions").resolve(id).resolve("steps");
        assertTrue(
                Files.readString(steps.resolve("TrainEnsemble.log")).contains("validation-rmse:"));
        assertTrue(Files.isRegularFile(steps.resolve("TrainEnsemble/model/manifest.json")));
        assertTrue(
                Files.isRegularFile(
                        steps.resolve("EvaluateModels/processing/evaluation/evaluation.json")));
    }

    @Test
    void processRunsAsAProcessingJob(@TempDir Path tmp) throws Exception {
        Path root = tmp.resolve("ml");
        Path out = ProcessingJobIT.layout(root);
        // Inside the container the job's paths are under /opt/ml.
        Files.writeString(
                root.resolve("config/processingjobconfig.json"),
                Files.readString(root.resolve("config/processingjobconfig.json"))
                        .replace(root.toString(), "/opt/ml"));
        openUp(tmp);
        Byoe.Result r =
                Docker.run(
                        "run",
                        "--rm",
                        "-v",
                        root + ":/opt/ml",
                        Docker.IMAGE,
                        "process",
                        "--preset",
                        "hdfs");
        assertEquals(0, r.exit(), r.all());
        assertEquals(
                2200, JSON.readTree(out.resolve("summary.json").toFile()).get("sessions").asInt());
    }

    @Test
    void selfTestPassesInTheImageAsNonRoot() throws Exception {
        Byoe.Result r =
                Docker.run(
                        "run",
                        "--rm",
                        "--user",
                        "65534:65534",
                        "--read-only",
                        "--tmpfs",
                        "/tmp",
                        Docker.IMAGE,
                        "self-test");
        assertEquals(0, r.exit(), r.all());
        assertTrue(r.stdout().contains("self-test passed"));
    }

    @Test
    void imageDeclaresItsSageMakerCapabilities() throws Exception {
        assertEquals(
                "true",
                Docker.ok(
                        "inspect",
                        "-f",
                        "{{index .Config.Labels \"com.amazonaws.sagemaker.capabilities.accept-bind-to-port\"}}",
                        Docker.IMAGE));
        // It serves the /models API (MultiModelContainerCheck).
        assertEquals(
                "true",
                Docker.ok(
                        "inspect",
                        "-f",
                        "{{index .Config.Labels \"com.amazonaws.sagemaker.capabilities.multi-models\"}}",
                        Docker.IMAGE));
        assertEquals(
                "[\"/opt/byoe/entrypoint.sh\"]",
                Docker.ok("inspect", "-f", "{{json .Config.Entrypoint}}", Docker.IMAGE).strip(),
                "exec-form entry point (the script execs the JVM: see servesAsNonRoot...)");
    }

    @Test
    void pushScriptTalksToEcr() throws Exception {
        Path script = Path.of(System.getProperty("byoe.root", "..")).resolve("scripts/push-image");
        ProcessBuilder pb = new ProcessBuilder(script.toString()).redirectErrorStream(true);
        pb.environment()
                .putAll(
                        Map.of(
                                "DRY_RUN",
                                "1",
                                "AWS_ACCOUNT_ID",
                                "123456789012",
                                "AWS_REGION",
                                "eu-west-1",
                                "ECR_REPOSITORY",
                                "byoe",
                                "IMAGE_TAG",
                                "0.1.0"));
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), out);
        assertTrue(
                out.contains(
                        "aws ecr get-login-password --region eu-west-1 | docker login --username AWS "
                                + "--password-stdin 123456789012.dkr.ecr.eu-west-1.amazonaws.com"),
                out);
        assertTrue(
                out.contains("docker push 123456789012.dkr.ecr.eu-west-1.amazonaws.com/byoe:0.1.0"),
                out);
    }

    private String start(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("run", "-d"));
        cmd.addAll(List.of(args));
        cmd.add(Docker.IMAGE);
        cmd.add("serve");
        String id = Docker.ok(cmd.toArray(new String[0]));
        containers.add(id);
        return id;
    }

    private void awaitHealthy(int port) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            try {
                if (get(port, "/ping").statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // keep polling
            }
            Thread.sleep(50);
        }
        throw new AssertionError("container on port " + port + " not healthy in 60 s");
    }

    private HttpResponse<String> get(int port, String path) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                        .timeout(Duration.ofSeconds(10))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(int port, String type, String body) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/invocations"))
                        .header("Content-Type", type)
                        .timeout(Duration.ofSeconds(30))
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** Containers may run as another user: let them read and write the mounted folders. */
    @Test
    void runsAModelMonitorBaselineAsAProcessingJob(@TempDir Path tmp) throws Exception {
        // The paths and environment a Model Monitor baseline job gives the container.
        Path input = Files.createDirectories(tmp.resolve("input"));
        Files.copy(MlLayout.data("cal_housing/train.csv"), input.resolve("train.csv"));
        Path output = Files.createDirectories(tmp.resolve("output"));
        openUp(tmp);
        Byoe.Result r =
                Docker.run(
                        "run",
                        "--rm",
                        "-v",
                        input + ":/opt/ml/processing/input/baseline_dataset_input:ro",
                        "-v",
                        output + ":/opt/ml/processing/output",
                        "-e",
                        "dataset_format={\"csv\": {\"header\": true}}",
                        "-e",
                        "dataset_source=/opt/ml/processing/input/baseline_dataset_input",
                        "-e",
                        "output_path=/opt/ml/processing/output",
                        Docker.IMAGE,
                        "monitor",
                        "baseline");
        assertEquals(0, r.exit(), r.all());
        JsonNode stats = JSON.readTree(output.resolve("statistics.json").toFile());
        assertEquals(600, stats.at("/dataset/item_count").asInt(), stats.toString());
        assertTrue(
                JSON.readTree(output.resolve("constraints.json").toFile()).get("features").size()
                        >= 9);
    }

    static void openUp(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.toList()) {
                Files.setPosixFilePermissions(
                        p,
                        PosixFilePermissions.fromString(
                                Files.isDirectory(p) ? "rwxrwxrwx" : "rw-rw-rw-"));
            }
        }
    }
}
