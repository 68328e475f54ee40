package dev.byoe.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The multi-model scenarios through the image, as SageMaker runs a multi-model endpoint: {@code
 * SAGEMAKER_MULTI_MODEL=true}, models unpacked under {@code /opt/ml/models/<name>/model} (read
 * only), a 1 GiB memory limit, the non-root user of serverless and read-only root file system.
 */
class MultiModelContainerCheck extends MultiModelScenarios {
    @Override
    Server startMultiModel(Map<String, String> env) throws Exception {
        List<String> args =
                new ArrayList<>(
                        List.of(
                                "-v",
                                models + ":/opt/ml/models:ro",
                                "-e",
                                "SAGEMAKER_MULTI_MODEL=true",
                                "--memory",
                                "1g",
                                "--user",
                                "65534:65534",
                                "--read-only",
                                "--tmpfs",
                                "/tmp"));
        env.forEach((k, v) -> args.addAll(List.of("-e", k + "=" + v)));
        return container(args);
    }

    @Override
    Server startSingle(Path model) throws Exception {
        return container(new ArrayList<>(List.of("-v", model + ":/opt/ml/model:ro")));
    }

    @Override
    String url(Path model) {
        return "/opt/ml/models/" + models.relativize(model);
    }

    private Server container(List<String> args) throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        List<String> cmd =
                new ArrayList<>(List.of("run", "-d", "-p", "127.0.0.1:" + port + ":8080"));
        cmd.addAll(args);
        cmd.add(Docker.IMAGE);
        cmd.add("serve");
        String id = Docker.ok(cmd.toArray(new String[0]));
        int published = port;
        Server server =
                new Server() {
                    @Override
                    public int port() {
                        return published;
                    }

                    @Override
                    public String log() throws Exception {
                        return Docker.run("logs", id).all();
                    }

                    @Override
                    public void close() throws Exception {
                        Docker.run("rm", "-f", id);
                    }
                };
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            try {
                if (get(server, "/ping").statusCode() == 200) {
                    return server;
                }
            } catch (IOException notYet) {
                // keep polling
            }
            Thread.sleep(50);
        }
        String log = server.log();
        server.close();
        throw new AssertionError("container not healthy in 60 s: " + log);
    }

    @Test
    void aMultiModelEndpointStartsCleanly() throws Exception {
        try (Server mme = startMultiModel(Map.of())) {
            HttpResponse<String> r = load(mme, "logs", models.resolve("hdfs-logs"));
            assertEquals(200, r.statusCode(), r.body());
            String log =
                    LogWait.until(mme::log, LogWait.VECTOR_PASS_ANSWERS, Duration.ofSeconds(90));
            assertTrue(log.contains("serving a multi-model endpoint"), log);
            // The JVM uses the cache made for DeepLog without complaint, and the model loaded the
            // module its forward pass runs on (the JVM was not started with it).
            assertFalse(log.contains("[aot]"), log);
            assertTrue(log.contains("the vector pass (vector-"), log);
            assertFalse(log.contains("incubator"), log);
        }
    }
}
