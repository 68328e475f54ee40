package dev.byoe.app;

import dev.byoe.core.Version;
import dev.byoe.jobs.monitor.MonitorCommand;
import dev.byoe.jobs.process.ProcessCommand;
import dev.byoe.jobs.process.ProcessOptions;
import dev.byoe.jobs.registry.RegistryCommand;
import dev.byoe.jobs.train.MetricDefinitionsCommand;
import dev.byoe.jobs.train.TrainCommand;
import dev.byoe.jobs.tune.TuneCommand;
import dev.byoe.serve.ServeCommand;
import java.util.Arrays;

/**
 * {@code java -jar byoe.jar <command>}. SageMaker starts containers with {@code train} or {@code
 * serve} as the argument; the rest are tools for users.
 */
public final class Main {
    private static final String USAGE =
            """
            usage: java -jar byoe.jar <command>
              train               run a SageMaker training job ($BYOE_ML_ROOT or /opt/ml)
              serve               serve /opt/ml/model on port 8080 (or $SAGEMAKER_BIND_TO_PORT)
              process             a processing job: raw logs to Drain events and sessions (--help for options)
              monitor             Model Monitor job: baseline|analyze statistics, constraints, violations (--help)
              tune                a tuning job on this machine: --config tuning.json (SageMaker's JSON) [--output DIR]
              registry            local model registry: register|list|describe|approve|reject (--help)
              metric-definitions  print MetricDefinitions JSON [--task tabular|log_anomaly] [--objective ...] [--members a,b]
              self-test           train and serve a small generated ensemble, check the answers
              version             print the version
            """;

    private Main() {}

    private static String usage(String command) {
        return switch (command) {
            case "process" -> ProcessOptions.USAGE;
            case "monitor" -> MonitorCommand.USAGE;
            case "tune" -> TuneCommand.USAGE;
            case "registry" -> RegistryCommand.USAGE;
            case "metric-definitions" -> MetricDefinitionsCommand.USAGE;
            case "train" ->
                    "usage: byoe train   (a SageMaker training job: reads $BYOE_ML_ROOT or /opt/ml; README lists the hyperparameters)\n";
            case "serve" ->
                    "usage: byoe serve   (serves $BYOE_ML_ROOT/model or /opt/ml/model on $SAGEMAKER_BIND_TO_PORT or 8080)\n";
            default -> USAGE;
        };
    }

    public static void main(String[] args) throws Exception {
        System.exit(run(args));
    }

    static int run(String[] args) throws Exception {
        if (args.length == 0) {
            System.err.print(USAGE);
            return 2;
        }
        String[] rest = Arrays.copyOfRange(args, 1, args.length);
        if (Arrays.asList(rest).contains("--help") || Arrays.asList(rest).contains("-h")) {
            // Help is never a job: it prints the command's usage and succeeds, writing no failure
            // file.
            System.out.print(usage(args[0]));
            return 0;
        }
        return switch (args[0]) {
            case "train" -> TrainCommand.run(System.getenv(), System.out, System.err);
            case "serve" -> ServeCommand.run(System.getenv());
            case "process" -> ProcessCommand.run(rest, System.getenv(), System.out, System.err);
            case "monitor" -> MonitorCommand.run(rest, System.getenv(), System.out, System.err);
            case "tune" -> TuneCommand.run(rest, Main.class.getName(), System.out, System.err);
            case "registry" -> RegistryCommand.run(rest, System.getenv(), System.out, System.err);
            case "metric-definitions" -> MetricDefinitionsCommand.run(rest, System.out, System.err);
            case "self-test" -> SelfTest.run(System.out, System.err);
            case "version", "--version" -> {
                System.out.println("byoe " + Version.get());
                yield 0;
            }
            case "help", "--help", "-h" -> {
                System.out.print(USAGE);
                yield 0;
            }
            default -> {
                System.err.println("unknown command '" + args[0] + "'");
                System.err.print(USAGE);
                yield 2;
            }
        };
    }
}
