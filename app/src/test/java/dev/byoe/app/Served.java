package dev.byoe.app;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** {@code byoe serve} running in its own JVM on a free loopback port, ready once /ping says 200. */
final class Served implements AutoCloseable {
    final Process process;
    final int port;
    final Path log;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private Served(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    static Served start(Path mlRoot, Map<String, String> extraEnv) throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Map<String, String> env = new HashMap<>(extraEnv);
        env.put("BYOE_ML_ROOT", mlRoot.toString());
        env.put("SAGEMAKER_BIND_TO_PORT", Integer.toString(port));
        Path log = Files.createTempFile("byoe-serve", ".log");
        Process p =
                Byoe.command(env, "serve")
                        .redirectErrorStream(true)
                        .redirectOutput(log.toFile())
                        .start();
        Served served = new Served(p, port, log);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) {
                throw new AssertionError(
                        "serve exited with " + p.exitValue() + ": " + Files.readString(log));
            }
            try {
                if (served.get("/ping").statusCode() == 200) {
                    return served;
                }
            } catch (IOException notYetListening) {
                // keep polling
            }
            Thread.sleep(50);
        }
        served.close();
        throw new AssertionError("serve did not become healthy in 60 s: " + Files.readString(log));
    }

    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(
                HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(30)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> post(String body, String... headers)
            throws IOException, InterruptedException {
        return post(body.getBytes(java.nio.charset.StandardCharsets.UTF_8), headers);
    }

    HttpResponse<String> post(byte[] body, String... headers)
            throws IOException, InterruptedException {
        return http.send(invocation(body, headers), HttpResponse.BodyHandlers.ofString());
    }

    /** POSTs to /invocations and keeps the answer's bytes (binary formats). */
    HttpResponse<byte[]> postBytes(byte[] body, String... headers)
            throws IOException, InterruptedException {
        return http.send(invocation(body, headers), HttpResponse.BodyHandlers.ofByteArray());
    }

    private HttpRequest invocation(byte[] body, String... headers) {
        HttpRequest.Builder b =
                HttpRequest.newBuilder(uri("/invocations"))
                        .timeout(Duration.ofSeconds(30))
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (headers.length > 0) {
            b.headers(headers);
        }
        return b.build();
    }

    String log() throws IOException {
        return Files.readString(log);
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    @Override
    public void close() throws Exception {
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
