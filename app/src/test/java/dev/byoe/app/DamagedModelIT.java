package dev.byoe.app;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A damaged model artifact: serve never reports healthy, exits non-zero, and its log names the
 * damaged file. Artifacts are data: no file of a trained model is a Java-serialized object.
 */
class DamagedModelIT {
    enum Damage {
        TRUNCATE,
        FLIP_BYTE,
        DELETE
    }

    static List<Arguments> damages() {
        return List.of(
                Arguments.of("adult", "members/xgboost/model.ubj", Damage.TRUNCATE),
                Arguments.of("adult", "members/catboost/model.cbm", Damage.FLIP_BYTE),
                Arguments.of("adult", "manifest.json", Damage.TRUNCATE),
                Arguments.of("adult", "members/xgboost/categories.json", Damage.DELETE),
                Arguments.of("hdfs-logs", "members/deeplog/lstm.bin", Damage.TRUNCATE),
                Arguments.of("hdfs-logs", "members/pca/pca.json", Damage.FLIP_BYTE),
                Arguments.of("hdfs-logs", "drain.json", Damage.DELETE));
    }

    @ParameterizedTest(name = "{0}: {2} {1}")
    @MethodSource("damages")
    void serveRefusesToBecomeHealthyAndNamesTheFile(
            String model, String file, Damage damage, @TempDir Path tmp) throws Exception {
        MlLayout ml = new MlLayout(tmp.resolve("ml")).model(model);
        Path target = ml.root.resolve("model").resolve(file);
        byte[] bytes = Files.readAllBytes(target);
        switch (damage) {
            case TRUNCATE -> Files.write(target, java.util.Arrays.copyOf(bytes, bytes.length / 2));
            case FLIP_BYTE -> {
                bytes[bytes.length / 2] ^= 0x01;
                Files.write(target, bytes);
            }
            case DELETE -> Files.delete(target);
        }
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path log = tmp.resolve("serve.log");
        Process p =
                Byoe.command(
                                Map.of(
                                        "BYOE_ML_ROOT",
                                        ml.root.toString(),
                                        "SAGEMAKER_BIND_TO_PORT",
                                        Integer.toString(port)),
                                "serve")
                        .redirectErrorStream(true)
                        .redirectOutput(log.toFile())
                        .start();
        HttpClient http = HttpClient.newHttpClient();
        boolean healthy = false;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (p.isAlive() && System.nanoTime() < deadline) {
            try {
                HttpResponse<String> r =
                        http.send(
                                HttpRequest.newBuilder(
                                                URI.create("http://127.0.0.1:" + port + "/ping"))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString());
                healthy |= r.statusCode() == 200;
            } catch (IOException notListening) {
                // starting, or already gone
            }
            Thread.sleep(20);
        }
        assertTrue(p.waitFor(5, TimeUnit.SECONDS), "serve still running with a damaged model");
        String text = Files.readString(log);
        assertFalse(healthy, "/ping said 200 for a damaged model: " + text);
        assertNotEquals(0, p.exitValue(), text);
        assertTrue(text.contains("cannot load the model") && text.contains(file), text);
    }

    @Test
    void noArtifactFileIsAJavaSerializedObject() throws IOException {
        Path models =
                Path.of(System.getProperty("byoe.root", ".."))
                        .resolve("serve/src/test/resources/models");
        int files = 0;
        try (Stream<Path> walk = Files.walk(models)) {
            for (Path f : walk.filter(Files::isRegularFile).toList()) {
                files++;
                try (InputStream in = Files.newInputStream(f)) {
                    byte[] head = in.readNBytes(2);
                    // 0xACED is the stream magic of java.io.ObjectOutputStream.
                    assertFalse(
                            head.length == 2
                                    && (head[0] & 0xFF) == 0xAC
                                    && (head[1] & 0xFF) == 0xED,
                            f.toString());
                }
            }
        }
        assertTrue(files >= 10, "models found: " + files);
    }

    @Test
    void noByoeCodeDeserializesJavaObjects() throws IOException {
        Path root = Path.of(System.getProperty("byoe.root", ".."));
        for (String module : List.of("core", "model", "training", "jobs", "serve", "app")) {
            try (Stream<Path> walk = Files.walk(root.resolve(module).resolve("src/main/java"))) {
                for (Path f : walk.filter(x -> x.toString().endsWith(".java")).toList()) {
                    String code = Files.readString(f);
                    assertFalse(
                            code.contains("ObjectInputStream") || code.contains("readObject("),
                            f.toString());
                }
            }
        }
    }
}
