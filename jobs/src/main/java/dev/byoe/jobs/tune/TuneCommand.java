package dev.byoe.jobs.tune;

import dev.byoe.jobs.contract.FailureFile;
import dev.byoe.jobs.registry.ApprovalStatus;
import dev.byoe.jobs.registry.Flags;
import dev.byoe.jobs.registry.ModelRegistry;
import dev.byoe.jobs.registry.RegistryCommand;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * {@code byoe tune --config tuning.json [--output DIR] [--registry DIR --model-package-group G
 * [--register-threshold V] [--approval-status S]]}: a SageMaker tuning job on this machine. Exit 0
 * when the job completed, 1 when it failed (reason in {@code <output>/failure}), 2 when the config
 * is rejected (nothing runs).
 */
public final class TuneCommand {
    private static final Set<String> OPTIONS =
            Set.of(
                    "config",
                    "output",
                    "registry",
                    "model-package-group",
                    "register-threshold",
                    "approval-status",
                    "image");

    public static final String USAGE =
            """
            usage: byoe tune --config tuning.json [--output DIR] [--image URI]
                   [--registry DIR --model-package-group G [--register-threshold X] [--approval-status S]]
              --config  a CreateHyperParameterTuningJob request (SageMaker's JSON), checked against the API's shapes
            """;

    private TuneCommand() {}

    /** {@code mainClass}: the class whose {@code train} command each trial runs (byoe's Main). */
    public static int run(String[] args, String mainClass, PrintStream out, PrintStream err)
            throws InterruptedException {
        System.setProperty("java.awt.headless", "true");
        Flags flags;
        TuningConfig config;
        try {
            flags = Flags.parse(args, 0, OPTIONS);
            checkRegistration(flags);
            config =
                    TuningConfigReader.read(
                            Path.of(flags.require("config")), Path.of("").toAbsolutePath());
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
        Path output = Path.of(flags.get("output", "tuning/" + config.jobName()));
        try {
            if (Files.isDirectory(output) && !isEmpty(output)) {
                err.println(
                        "byoe tune: "
                                + output
                                + " already holds files (a tuning job name is used once); "
                                + "choose another HyperParameterTuningJobName or --output");
                return 2;
            }
            Files.createDirectories(output);
            return tune(config, flags, output, mainClass, out, err);
        } catch (IOException e) {
            err.println("byoe tune: " + e);
            FailureFile.write(output.resolve("failure"), e.toString());
            return 1;
        }
    }

    private static int tune(
            TuningConfig config,
            Flags flags,
            Path output,
            String mainClass,
            PrintStream out,
            PrintStream err)
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
        if (flags.has("model-package-group")) {
            register(config, flags, result.best(), report.bestArchive(output), out);
        }
        return 0;
    }

    /**
     * Registers the best model, unless a threshold is given and the objective does not beat it (the
     * MLOps seed's gate).
     */
    private static void register(
            TuningConfig config, Flags flags, Trial best, Path archive, PrintStream out)
            throws IOException {
        if (flags.has("register-threshold")) {
            double threshold = Double.parseDouble(flags.require("register-threshold"));
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
        ModelRegistry registry = RegistryCommand.registry(flags, System.getenv());
        var p =
                registry.register(
                        new ModelRegistry.Registration(
                                flags.require("model-package-group"),
                                archive,
                                best.metrics(),
                                hyperparameters,
                                flags.get("image", config.trainingImage()),
                                RegistryCommand.CONTENT_TYPES,
                                RegistryCommand.CONTENT_TYPES,
                                ApprovalStatus.parse(
                                        flags.get("approval-status", "PendingManualApproval")),
                                "best training job "
                                        + best.name()
                                        + " of tuning job "
                                        + config.jobName()));
        out.println(
                "registered "
                        + p.get("ModelPackageGroupName").asText()
                        + "/"
                        + p.get("ModelPackageVersion").asText()
                        + " ("
                        + p.get("ModelApprovalStatus").asText()
                        + ") in "
                        + registry.root());
    }

    /**
     * Registration options are checked up front, so a typo does not surface after a long tuning
     * job.
     */
    private static void checkRegistration(Flags flags) {
        if (!flags.has("model-package-group")) {
            for (String option :
                    List.of("register-threshold", "approval-status", "registry", "image")) {
                if (flags.has(option)) {
                    throw new IllegalArgumentException(
                            "--" + option + " needs --model-package-group");
                }
            }
            return;
        }
        ModelRegistry.checkGroup(flags.require("model-package-group"));
        ApprovalStatus.parse(flags.get("approval-status", "PendingManualApproval"));
        if (flags.has("register-threshold")) {
            try {
                Double.parseDouble(flags.require("register-threshold"));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(
                        "--register-threshold '"
                                + flags.require("register-threshold")
                                + "' is not a number");
            }
        }
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
