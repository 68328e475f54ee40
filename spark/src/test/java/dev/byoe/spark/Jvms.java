package dev.byoe.spark;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Runs the real artifacts in JVMs of their own: {@code dist/byoe-spark.jar} through Spark's own
 * {@code spark-submit} entry point in local mode, on a Java 17 as in SageMaker's Spark container
 * (Spark from Maven Central, the test class path's), and {@code dist/byoe.jar} on the build's JDK.
 */
final class Jvms {
    /** A finished run. */
    record Result(int exit, String output) {}

    private Jvms() {}

    static Path root() {
        return Path.of(System.getProperty("byoe.root", "..")).toAbsolutePath().normalize();
    }

    static Path sparkJar() {
        return existing(root().resolve("dist/byoe-spark.jar"));
    }

    static Path byoeJar() {
        return existing(root().resolve("dist/byoe.jar"));
    }

    private static Path existing(Path jar) {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("missing " + jar + "; run mvn package first");
        }
        return jar;
    }

    /**
     * The Java 17 home: {@code $BYOE_SPARK_JAVA_HOME}, else the first JDK 17 under /usr/lib/jvm
     * ({@code scripts/ensure-tools} installs one).
     */
    static Path java17() throws IOException {
        String env = System.getenv("BYOE_SPARK_JAVA_HOME");
        if (env != null && !env.isBlank()) {
            return Path.of(env, "bin", "java");
        }
        try (Stream<Path> homes = Files.list(Path.of("/usr/lib/jvm"))) {
            for (Path home : homes.sorted().toList()) {
                Path release = home.resolve("release");
                if (Files.isRegularFile(release)
                        && Files.readString(release).contains("JAVA_VERSION=\"17.")
                        && Files.isExecutable(home.resolve("bin/java"))) {
                    return home.resolve("bin/java");
                }
            }
        }
        throw new IllegalStateException(
                "no Java 17 (the JVM of SageMaker's Spark container) under /usr/lib/jvm: run"
                        + " scripts/ensure-tools, or set BYOE_SPARK_JAVA_HOME");
    }

    /**
     * {@code spark-submit --master local[cores] --class dev.byoe.spark.SparkProcessJob
     * dist/byoe-spark.jar args...}. Spark's class path is this test's, less byoe's own classes, so
     * the job runs from the jar alone.
     */
    static Result sparkSubmit(int cores, Map<String, String> env, List<String> args)
            throws IOException, InterruptedException {
        Path home = root();
        List<String> classPath = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path p = Path.of(entry).toAbsolutePath();
            boolean byoe = p.startsWith(home) || p.toString().contains("/dev/byoe/");
            if (!byoe) {
                classPath.add(entry);
            }
        }
        List<String> cmd = new ArrayList<>();
        cmd.add(java17().toString());
        // What Spark's launcher adds for Java 17 (its own list, from its own class).
        cmd.addAll(
                List.of(
                        org.apache.spark.launcher.JavaModuleOptions.defaultModuleOptions()
                                .split(" ")));
        cmd.add("-Xmx2g");
        cmd.add("-cp");
        cmd.add(String.join(File.pathSeparator, classPath));
        cmd.add("org.apache.spark.deploy.SparkSubmit");
        cmd.addAll(
                List.of(
                        "--master",
                        "local[" + cores + "]",
                        "--conf",
                        "spark.ui.enabled=false",
                        "--class",
                        "dev.byoe.spark.SparkProcessJob",
                        sparkJar().toString()));
        cmd.addAll(args);
        return run(cmd, env);
    }

    /** {@code java -jar dist/byoe.jar args...} on the build's JDK. */
    static Result byoe(Map<String, String> env, String... args)
            throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(List.of("--add-modules", "jdk.incubator.vector", "-jar"));
        cmd.add(byoeJar().toString());
        cmd.addAll(List.of(args));
        return run(cmd, env);
    }

    private static Result run(List<String> cmd, Map<String, String> env)
            throws IOException, InterruptedException {
        Path log = Files.createTempFile("byoe-run", ".txt");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.redirectOutput(log.toFile());
        pb.environment().remove("BYOE_ML_ROOT");
        pb.environment().putAll(env);
        Process p = pb.start();
        if (!p.waitFor(10, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError(String.join(" ", cmd) + " did not finish in 10 minutes");
        }
        String output = Files.readString(log, StandardCharsets.UTF_8);
        Files.delete(log);
        return new Result(p.exitValue(), output);
    }
}
