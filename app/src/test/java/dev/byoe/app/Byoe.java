package dev.byoe.app;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs the real {@code dist/byoe.jar} in its own JVM, as the container would. */
final class Byoe {
    record Result(int exit, String stdout, String stderr) {
        String all() {
            return stdout + stderr;
        }
    }

    private Byoe() {}

    static Path jar() {
        Path jar = Path.of(System.getProperty("byoe.jar", "../dist/byoe.jar"));
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("missing " + jar + "; run mvn package first");
        }
        return jar;
    }

    static ProcessBuilder command(Map<String, String> env, String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        // As the image runs it: no --add-modules; DeepLog loads the Vector API module itself.
        cmd.add("-jar");
        // Relative to the repository root, as a user types it: the jar must not depend on its path
        // being absolute.
        Path jar = jar().toAbsolutePath();
        cmd.add(jar.getParent().getParent().relativize(jar).toString());
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(jar.getParent().getParent().toFile());
        pb.environment().remove("BYOE_ML_ROOT");
        pb.environment().putAll(env);
        return pb;
    }

    static Result run(Map<String, String> env, String... args)
            throws IOException, InterruptedException {
        Path out = Files.createTempFile("byoe-out", ".txt");
        Path err = Files.createTempFile("byoe-err", ".txt");
        Process p =
                command(env, args).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError(
                    "byoe " + String.join(" ", args) + " did not finish in 5 minutes");
        }
        Result r =
                new Result(
                        p.exitValue(),
                        Files.readString(out, StandardCharsets.UTF_8),
                        Files.readString(err, StandardCharsets.UTF_8));
        Files.delete(out);
        Files.delete(err);
        return r;
    }

    static Result train(MlLayout ml) throws IOException, InterruptedException {
        return run(Map.of("BYOE_ML_ROOT", ml.root.toString()), "train");
    }
}
