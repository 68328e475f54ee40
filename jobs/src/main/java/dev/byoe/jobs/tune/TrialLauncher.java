package dev.byoe.jobs.tune;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The command line of a trial: this same JVM's java, its module and native-access flags, and the
 * byoe jar ({@code -jar}, or its class path and main class when not run from the jar), with {@code
 * train}. Each trial is a separate process, as each SageMaker training job is a separate container:
 * native libraries, memory and a crash stay with the trial.
 */
public record TrialLauncher(List<String> command) {
    private static final List<String> PASSED_FLAGS =
            List.of(
                    "--add-modules",
                    "--enable-native-access",
                    "--sun-misc-unsafe-memory-access",
                    "-Djdk.module.addmods",
                    "-Xmx",
                    "-Xss");

    /**
     * A launcher for the running JVM; {@code mainClass} is the class whose {@code train} command
     * trains.
     */
    public static TrialLauncher ofCurrentJvm(String mainClass) {
        List<String> cmd = new ArrayList<>(byoe(mainClass));
        cmd.add("train");
        return new TrialLauncher(List.copyOf(cmd));
    }

    /**
     * The command line that starts byoe in a new JVM like this one, without the command: {@code
     * mainClass} is the class whose commands run.
     */
    public static List<String> byoe(String mainClass) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> jvm = ManagementFactory.getRuntimeMXBean().getInputArguments();
        for (int i = 0; i < jvm.size(); i++) {
            String a = jvm.get(i);
            if (PASSED_FLAGS.stream().anyMatch(a::startsWith)) {
                cmd.add(a);
                if (a.equals("--add-modules") && i + 1 < jvm.size()) {
                    cmd.add(jvm.get(++i));
                }
            }
        }
        List<String> classPath = new ArrayList<>();
        for (String entry :
                System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
            classPath.add(Path.of(entry).toAbsolutePath().toString());
        }
        if (classPath.size() == 1 && classPath.getFirst().endsWith(".jar")) {
            // As a user runs it: the jar's manifest enables native access for XGBoost and CatBoost.
            cmd.addAll(List.of("-jar", classPath.getFirst()));
        } else {
            if (cmd.stream().noneMatch(a -> a.startsWith("--enable-native-access"))) {
                cmd.add("--enable-native-access=ALL-UNNAMED");
            }
            cmd.addAll(
                    List.of("-cp", String.join(java.io.File.pathSeparator, classPath), mainClass));
        }
        return List.copyOf(cmd);
    }
}
