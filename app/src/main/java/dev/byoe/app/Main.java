package dev.byoe.app;

import dev.byoe.core.Version;
import dev.byoe.jobs.contract.JobCommand;
import dev.byoe.jobs.monitor.MonitorCommand;
import dev.byoe.jobs.process.ProcessCommand;
import dev.byoe.jobs.registry.RegistryCommand;
import dev.byoe.jobs.train.MetricDefinitionsCommand;
import dev.byoe.jobs.train.TrainCommand;
import dev.byoe.jobs.tune.TuneCommand;
import dev.byoe.serve.ServeCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code java -jar byoe.jar <command>}. SageMaker starts containers with {@code train} or {@code
 * serve} as the argument; the rest are tools for users. The command table is {@link #commandLine}.
 */
@Command(
        name = "byoe",
        mixinStandardHelpOptions = true,
        versionProvider = Main.VersionProvider.class,
        description = "Bring your own ensemble: SageMaker jobs and serving in one jar.")
public final class Main implements Runnable {
    @Spec CommandSpec spec;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** Every command, one line each. */
    static CommandLine commandLine() {
        CommandLine line =
                new CommandLine(new Main())
                        .addSubcommand(new TrainCommand())
                        .addSubcommand(new ServeCommand())
                        .addSubcommand(new ProcessCommand())
                        .addSubcommand(new MonitorCommand())
                        .addSubcommand(new TuneCommand(Main.class.getName()))
                        .addSubcommand(new RegistryCommand())
                        .addSubcommand(new MetricDefinitionsCommand())
                        .addSubcommand(new SelfTest())
                        .addSubcommand(new VersionCommand())
                        .addSubcommand(new HelpCommand());
        line.setCaseInsensitiveEnumValuesAllowed(true);
        line.setParameterExceptionHandler(Main::refused);
        withHelp(line);
        return line;
    }

    /** {@code byoe} alone: the usage, as a mistake. */
    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "a command is needed");
    }

    /**
     * Wrong arguments. A job SageMaker runs fails as a job (its failure file, exit non-zero);
     * elsewhere the message and the command's usage, exit 2.
     */
    private static int refused(ParameterException e, String[] args) {
        CommandLine command = e.getCommandLine();
        if (command.getCommand() instanceof JobCommand job) {
            return job.refuse(e.getMessage());
        }
        command.getErr().println(e.getMessage());
        command.usage(command.getErr());
        return command.getCommandSpec().exitCodeOnInvalidInput();
    }

    /** The same {@code -h, --help} and {@code usage:} heading on every command and action. */
    private static void withHelp(CommandLine line) {
        CommandSpec spec = line.getCommandSpec();
        spec.usageMessage().synopsisHeading("usage: ");
        if (spec.optionsMap().get("--help") == null) {
            spec.addOption(
                    OptionSpec.builder("-h", "--help")
                            .usageHelp(true)
                            .description("Show this help message and exit.")
                            .build());
        }
        line.getSubcommands().values().forEach(Main::withHelp);
    }

    /** {@code byoe version}, as {@code byoe --version}. */
    @Command(name = "version", description = "Prints the version.")
    static final class VersionCommand implements Runnable {
        @Spec CommandSpec spec;

        @Override
        public void run() {
            spec.commandLine().getOut().println("byoe " + Version.get());
        }
    }

    static final class VersionProvider implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"byoe " + Version.get()};
        }
    }
}
