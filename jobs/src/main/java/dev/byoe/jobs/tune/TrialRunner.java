package dev.byoe.jobs.tune;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.byoe.core.Json;
import dev.byoe.jobs.contract.MlPaths;
import dev.byoe.jobs.train.config.HyperparameterSpec;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * Runs one trial: lays out its own {@code /opt/ml} folder (hyperparameters as strings plus {@code
 * _tuning_objective_metric}, channel configs, the configured local data linked into {@code
 * input/data/<channel>}), starts {@code byoe train} on it, scans its stdout and stderr line by line
 * with the metric definitions (saving them to {@code output/trial.log}), applies the median
 * stopping rule on each new objective value, and classifies the outcome.
 */
public final class TrialRunner {
    private static final ObjectMapper JSON = Json.MAPPER;

    private final TuningConfig config;
    private final Path trialsDir;
    private final TrialLauncher launcher;
    private final Supplier<List<List<Double>>> completedSeries;

    /**
     * {@code completedSeries} gives the objective series of completed trials, for early stopping.
     */
    public TrialRunner(
            TuningConfig config,
            Path trialsDir,
            TrialLauncher launcher,
            Supplier<List<List<Double>>> completedSeries) {
        this.config = config;
        this.trialsDir = trialsDir;
        this.launcher = launcher;
        this.completedSeries = completedSeries;
    }

    /** SageMaker's naming: {@code <tuning job>-<3 digits>-<8 hex>}. */
    public static String trialName(String jobName, int number) {
        return String.format("%s-%03d-%08x", jobName, number, (jobName + number).hashCode());
    }

    public Trial run(Candidate candidate, int number) {
        String name = trialName(config.jobName(), number);
        Path root = trialsDir.resolve(name);
        long start = System.nanoTime();
        MetricScanner scanner = new MetricScanner(config.metricDefinitions());
        AtomicReference<String> stopped = new AtomicReference<>();
        int exit;
        try {
            layout(root, candidate);
            exit = train(root, name, scanner, stopped);
        } catch (IOException | RuntimeException e) {
            // One trial's trouble (a full disk, an unreadable channel file) fails that trial, not
            // the tuning job.
            return finish(
                    number,
                    name,
                    candidate,
                    root,
                    start,
                    scanner,
                    Trial.Status.Failed,
                    "could not run the trial: " + e,
                    false);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return finish(
                    number,
                    name,
                    candidate,
                    root,
                    start,
                    scanner,
                    Trial.Status.Stopped,
                    "tuning was interrupted",
                    false);
        }
        String objectiveName = config.objective().metricName();
        boolean noObjective = scanner.series(objectiveName).isEmpty();
        if (stopped.get() != null) {
            return finish(
                    number,
                    name,
                    candidate,
                    root,
                    start,
                    scanner,
                    Trial.Status.Stopped,
                    stopped.get(),
                    false);
        }
        if (exit != 0) {
            return finish(
                    number,
                    name,
                    candidate,
                    root,
                    start,
                    scanner,
                    Trial.Status.Failed,
                    failureReason(root, exit),
                    false);
        }
        if (noObjective) {
            return finish(
                    number,
                    name,
                    candidate,
                    root,
                    start,
                    scanner,
                    Trial.Status.Failed,
                    objectiveMissing(scanner),
                    true);
        }
        return finish(
                number, name, candidate, root, start, scanner, Trial.Status.Completed, null, false);
    }

    private Trial finish(
            int number,
            String name,
            Candidate candidate,
            Path root,
            long start,
            MetricScanner scanner,
            Trial.Status status,
            String reason,
            boolean objectiveNeverMatched) {
        String objectiveName = config.objective().metricName();
        List<Double> series = scanner.series(objectiveName);
        return new Trial(
                number,
                name,
                candidate,
                candidate.hyperparameters(),
                status,
                series.isEmpty() ? null : series.getLast(),
                series,
                scanner.finalValues(),
                scanner.neverMatched(),
                (System.nanoTime() - start) / 1e9,
                reason,
                objectiveNeverMatched,
                root,
                java.time.Instant.now());
    }

    private String objectiveMissing(MetricScanner scanner) {
        TuningConfig.MetricDefinition d = config.objectiveDefinition();
        String unreadable = scanner.unreadableCapture(d.name());
        return "the objective metric '"
                + d.name()
                + "' was never found: its regex '"
                + d.regex().pattern()
                + "' "
                + (unreadable != null
                        ? "captured '" + unreadable + "', which is not a number"
                        : "matched no line of the training job's output")
                + " (SageMaker would fail this training job's objective the same way; see the trial's output/trial.log)";
    }

    private static String failureReason(Path root, int exit) {
        Path failure = root.resolve("output/failure");
        try {
            if (Files.exists(failure)) {
                return Files.readString(failure, StandardCharsets.UTF_8).strip();
            }
        } catch (IOException e) {
            // Fall through to the exit code.
        }
        return "training exited with code " + exit + " without writing output/failure";
    }

    private int train(
            Path root, String name, MetricScanner scanner, AtomicReference<String> stopped)
            throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(launcher.command()).redirectErrorStream(true);
        pb.environment().putAll(config.environment());
        pb.environment().put("BYOE_ML_ROOT", root.toString());
        pb.environment().put("TRAINING_JOB_NAME", name);
        Process process = pb.start();
        ScheduledExecutorService timer =
                Executors.newSingleThreadScheduledExecutor(
                        r -> {
                            Thread t = new Thread(r, "byoe-trial-timeout");
                            t.setDaemon(true);
                            return t;
                        });
        if (config.maxRuntimeSeconds() > 0) {
            timer.schedule(
                    () -> {
                        if (process.isAlive()
                                && stopped.compareAndSet(
                                        null,
                                        "MaxRuntimeExceeded: StoppingCondition.MaxRuntimeInSeconds="
                                                + config.maxRuntimeSeconds()
                                                + " reached")) {
                            process.destroy();
                        }
                    },
                    config.maxRuntimeSeconds(),
                    TimeUnit.SECONDS);
        }
        String objective = config.objective().metricName();
        try (BufferedReader in =
                        new BufferedReader(
                                new InputStreamReader(
                                        process.getInputStream(), StandardCharsets.UTF_8));
                Writer log =
                        Files.newBufferedWriter(
                                root.resolve("output/trial.log"), StandardCharsets.UTF_8)) {
            String line;
            while ((line = readLine(in, stopped)) != null) {
                log.write(line);
                log.write('\n');
                if (scanner.accept(line).contains(objective)
                        && config.earlyStopping()
                        && MedianStoppingRule.shouldStop(
                                scanner.series(objective),
                                completedSeries.get(),
                                config.objective().minimize())
                        && stopped.compareAndSet(
                                null,
                                "stopped early: objective "
                                        + scanner.series(objective).getLast()
                                        + " after "
                                        + scanner.series(objective).size()
                                        + " value(s) is worse than the median of earlier trials")) {
                    process.destroy(); // SIGTERM, as StopTrainingJob sends
                }
            }
        } finally {
            timer.shutdownNow();
        }
        return process.waitFor();
    }

    /**
     * A stopped process's output may close under the reader: that is the end of its output, not an
     * error.
     */
    private static String readLine(BufferedReader in, AtomicReference<String> stopped)
            throws IOException {
        try {
            return in.readLine();
        } catch (IOException e) {
            if (stopped.get() != null) {
                return null;
            }
            throw e;
        }
    }

    private void layout(Path root, Candidate candidate) throws IOException {
        Path config = Files.createDirectories(root.resolve("input/config"));
        Files.createDirectories(root.resolve("model"));
        Files.createDirectories(root.resolve("output"));
        Map<String, String> hyperparameters =
                new LinkedHashMap<>(this.config.staticHyperparameters());
        hyperparameters.putAll(candidate.hyperparameters());
        hyperparameters.put(
                HyperparameterSpec.TUNING_OBJECTIVE, this.config.objective().metricName());
        JSON.writeValue(config.resolve("hyperparameters.json").toFile(), hyperparameters);
        Map<String, Object> channels = new LinkedHashMap<>();
        for (TuningConfig.Channel c : this.config.channels()) {
            channels.put(
                    c.name(),
                    Map.of(
                            "ContentType",
                            c.contentType(),
                            "TrainingInputMode",
                            "File",
                            "S3DistributionType",
                            "FullyReplicated",
                            "RecordWrapperType",
                            "None"));
            link(c.source(), Files.createDirectories(root.resolve("input/data").resolve(c.name())));
        }
        JSON.writeValue(config.resolve("inputdataconfig.json").toFile(), channels);
        JSON.writeValue(config.resolve("resourceconfig.json").toFile(), MlPaths.ONE_HOST);
    }

    /**
     * Links every file of {@code source} (a file or a folder tree) into {@code channel}; copies
     * where links fail.
     */
    private static void link(Path source, Path channel) throws IOException {
        if (Files.isRegularFile(source)) {
            linkFile(source, channel.resolve(source.getFileName().toString()));
            return;
        }
        try (Stream<Path> files = Files.walk(source)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                Path target = channel.resolve(source.relativize(f).toString());
                Files.createDirectories(target.getParent());
                linkFile(f, target);
            }
        }
    }

    private static void linkFile(Path file, Path target) throws IOException {
        try {
            Files.createSymbolicLink(target, file.toAbsolutePath());
        } catch (UnsupportedOperationException | IOException e) {
            Files.copy(file, target);
        }
    }
}
