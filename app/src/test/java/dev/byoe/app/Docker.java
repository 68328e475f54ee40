package dev.byoe.app;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The Docker client (Debian's, as the build scripts use) and the image under test. */
final class Docker {
    static final String CLIENT = System.getProperty("byoe.docker", "/usr/bin/docker");
    static final String IMAGE = System.getProperty("byoe.image", "byoe:test");

    private Docker() {}

    static Byoe.Result run(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(CLIENT);
        cmd.addAll(List.of(args));
        Path out = Files.createTempFile("docker-out", ".txt");
        Path err = Files.createTempFile("docker-err", ".txt");
        Process p =
                new ProcessBuilder(cmd)
                        .redirectOutput(out.toFile())
                        .redirectError(err.toFile())
                        .start();
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError(
                    "docker " + String.join(" ", args) + " did not finish in 5 minutes");
        }
        Byoe.Result r =
                new Byoe.Result(
                        p.exitValue(),
                        Files.readString(out, StandardCharsets.UTF_8),
                        Files.readString(err, StandardCharsets.UTF_8));
        Files.delete(out);
        Files.delete(err);
        return r;
    }

    /** Runs and insists on success; returns stdout, trimmed. */
    static String ok(String... args) throws IOException, InterruptedException {
        Byoe.Result r = run(args);
        if (r.exit() != 0) {
            throw new AssertionError(
                    "docker " + String.join(" ", args) + " exited " + r.exit() + ": " + r.all());
        }
        return r.stdout().strip();
    }
}
