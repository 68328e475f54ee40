package dev.byoe.jobs.tune;

import dev.byoe.jobs.contract.FailureFile;
import dev.byoe.jobs.registry.ApprovalStatus;
import dev.byoe.jobs.registry.ModelRegistry;
import dev.byoe.jobs.registry.RegistryCommand;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code byoe tune --config tuning.json [--output DIR] [--registry DIR --model-package-group G
 * [--register-threshold V] [--approval-status S]]}: a SageMaker tuning job on this machine. Exit 0
 * when the job completed, 1 when it failed (reason in {@code <output>/failure}), 2 when the config
 * is rejected (nothing runs).
 */
@Command(
        name = "tune",
        sortOptions = false,
        description = {
            "A SageMaker tuning job on this machine: each trial is a real byoe train in its own"
                    + " /opt/ml folder. Exit 0 when the job completed, 1 when it failed (reason in"
                    + " <output>/failure), 2 when the config is refused (nothing runs)."
        })
public final class TuneCommand implements Callable<Integer> {
    @Option(
            names = "--config",
            required = true,
            paramLabel = "FILE",
            description =
                    "a CreateHyperParameterTuningJob request (SageMaker's JSON), checked against"
                            + " the API's shapes")
    Path configFile;

    @Option(
            names = "--output",
            paramLabel = "DIR",
            description = "default tuning/<HyperParameterTuningJobName>")
    Path output;

    @ArgGroup(exclusive = false, heading = "Registering the best model:%n")
    Registration registration;

    /** Where and how the best model is registered; all but the group need the group. */
    static final class Registration {
        @Option(names = "--model-package-group", required = true, paramLabel = "GROUP")
        String group;

        @Option(
                names = "--image",
                paramLabel = "URI",
                description = "image of the registered model (default: the config's)")
        String image;

        @Option(
                names = "--registry",
                paramLabel = "DIR",
                defaultValue = "${env:BYOE_REGISTRY:-registry}",
                description = "default $BYOE_REGISTRY, else ./registry")
        Path registry;

        @Option(
                names = "--register-threshold",
                paramLabel = "X",
                description = "register only when the objective beats it")
        Double threshold;

        @Option(
                names = "--approval-status",
                paramLabel = "STATUS",
                defaultValue = "PendingManualApproval",
                description = "default ${DEFAULT-VALUE}")
        ApprovalStatus status;
    }

    /** The class whose {@code train} command each trial runs (byoe's Main). */
    private final String mainClass;

    public TuneCommand(String mainClass) {
        this.mainClass = mainClass;
    }

    @Override
    public Integer call() throws InterruptedException {
        System.setProperty("java.awt.headless", "true");
        PrintStream out = System.out;
        PrintStream err = System.err;
        TuningConfig config;
        try {
            if (registration != null) {
                ModelRegistry.checkGroup(registration.group);
            }
            config = TuningConfigReader.read(configFile, Path.of("").toAbsolutePath());
            RangeCheck.Findings findings = RangeCheck.check(config);
            if (!findings.problems().isEmpty()) {
                throw new TuningConfigException(findings.problems());
            }
            findings.notes().forEach(n -> err.println("note: " + n));
        } catch (IllegalArgumentException | TuningConfigException e) {
            err.println("byoe tune: " + e.getMessage());
            return 2;
        }
        config.notes().forEach(n -> err.println("note: " + n));
        Path folder = output != null ? output : Path.of("tuning/" + config.jobName());
        try {
            if (Files.isDirectory(folder) && !isEmpty(folder)) {
                err.println(
                        "byoe tune: "
                                + folder
                                + " already holds files (a tuning job name is used once); "
                                + "choose another HyperParameterTuningJobName or --output");
                return 2;
            }
            Files.createDirectories(folder);
            return tune(config, folder, out, err);
        } catch (IOException e) {
            err.println("byoe tune: " + e);
            FailureFile.write(folder.resolve("failure"), e.toString());
            return 1;
        }
    }

    private int tune(TuningConfig config, Path output, PrintStream out, PrintStream err)
            throws IOException, InterruptedException {
        err.printf(
                Locale.ROOT,
                "tuning job %s: %s strategy, %d training jobs, %d in parallel, %s %s; output in %s%n",
                config.jobName(),
                config.strategy(),
                config.maxJobs(),
                config.maxParallel(),
                config.objective().type(),
                config.objective().metricName(),
                output);
        TrialLauncher launcher = TrialLauncher.ofCurrentJvm(mainClass);
        Path trials = Files.createDirectories(output.resolve("trials"));
        Tuner tuner =
                new Tuner(
                        config,
                        SearchStrategy.of(config),
                        series ->
                                new TrialRunner(config, trials.toAbsolutePath(), launcher, series),
                        m -> {
                            err.println(m);
                            err.flush();
                        });
        Tuner.Result result = tuner.run();
        TuningReport report = new TuningReport(config, result);
        report.write(output);
        report.printTable(out);
        warnNeverMatched(result, err);
        if (result.best() != null) {
            out.printf(
                    Locale.ROOT,
                    "best: %s %s=%s %s -> %s%n",
                    result.best().name(),
                    config.objective().metricName(),
                    TuningReport.number(result.best().objective()),
                    result.best().hyperparameters(),
                    report.bestArchive(output));
        }
        out.println(
                "tuning job "
                        + config.jobName()
                        + " "
                        + result.status()
                        + "; trials.csv, summary.json, objective.png in "
                        + output);
        if (!result.status().equals("Completed")) {
            err.println("byoe tune failed: " + result.failureReason());
            FailureFile.write(output.resolve("failure"), result.failureReason());
            return 1;
        }
        if (registration != null) {
            register(config, result.best(), report.bestArchive(output), out);
        }
        return 0;
    }

    /**
     * Registers the best model, unless a threshold is given and the objective does not beat it (the
     * MLOps seed's gate).
     */
    private void register(TuningConfig config, Trial best, Path archive, PrintStream out)
            throws IOException {
        if (registration.threshold != null) {
            double threshold = registration.threshold;
            boolean beats =
                    config.objective().minimize()
                            ? best.objective() < threshold
                            : best.objective() > threshold;
            if (!beats) {
                out.printf(
                        Locale.ROOT,
                        "not registered: %s=%s does not beat the threshold %s (%s)%n",
                        config.objective().metricName(),
                        TuningReport.number(best.objective()),
                        TuningReport.number(threshold),
                        config.objective().type());
                return;
            }
        }
        Map<String, String> hyperparameters = new LinkedHashMap<>(config.staticHyperparameters());
        hyperparameters.putAll(best.hyperparameters());
        ModelRegistry registry = new ModelRegistry(registration.registry);
        var p =
                registry.register(
                        new ModelRegistry.Registration(
                                registration.group,
                                archive,
                                best.metrics(),
                                hyperparameters,
                                registration.image != null
                                        ? registration.image
                                        : config.trainingImage(),
                                RegistryCommand.CONTENT_TYPES,
                                RegistryCommand.RESPONSE_TYPES,
                                registration.status,
                                "best training job "
                                        + best.name()
                                        + " of tuning job "
                                        + config.jobName()));
        out.println("registered " + RegistryCommand.summary(p) + " in " + registry.root());
    }

    private static void warnNeverMatched(Tuner.Result result, PrintStream err) {
        result.trials().stream()
                .filter(t -> t.status() == Trial.Status.Completed)
                .findFirst()
                .ifPresent(
                        t -> {
                            for (String name : t.neverMatched()) {
                                err.println(
                                        "warning: metric definition '"
                                                + name
                                                + "' matched nothing in the output of "
                                                + t.name()
                                                + "; SageMaker would record no value for it");
                            }
                        });
    }

    private static boolean isEmpty(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.findAny().isEmpty();
        }
    }
}
