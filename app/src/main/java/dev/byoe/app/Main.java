package dev.byoe.app;

import dev.byoe.core.Version;
import dev.byoe.jobs.contract.JobCommand;
import dev.byoe.jobs.evaluate.EvaluateCommand;
import dev.byoe.jobs.monitor.MonitorCommand;
import dev.byoe.jobs.pipeline.PipelineCommand;
import dev.byoe.jobs.process.ProcessCommand;
import dev.byoe.jobs.process.ProcessJoinCommand;
import dev.byoe.jobs.registry.RegistryCommand;
import dev.byoe.jobs.train.MetricDefinitionsCommand;
import dev.byoe.jobs.train.TrainCommand;
import dev.byoe.jobs.tune.TuneCommand;
import dev.byoe.serve.ServeCommand;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code java -jar byoe.jar <command>}. SageMaker starts containers with {@code train} or {@code
 * serve} as the argument; the rest are tools for users. The command table is {@link #COMMANDS}.
 *
 * <p>No lambda or method reference here stands for a picocli type: picocli's classes are too old a
 * class-file version for the image's AOT cache, and the JDK's cache writer fails on an archived
 * lambda that refers to one (a crash in ArchiveHeapWriter at image build, JDK 25.0.3).
 */
@Command(
        name = "byoe",
        mixinStandardHelpOptions = true,
        versionProvider = Main.VersionProvider.class,
        description = "Bring your own ensemble: SageMaker jobs and serving in one jar.")
public final class Main implements Runnable {
    @Spec CommandSpec spec;

    /**
     * A command: its class (whose {@code @Command} names it), how to make one, and the argument
     * SageMaker starts it with alone ({@code train}, {@code serve}; null for the others). That
     * argument is a constant rather than read from the annotation: reading annotations at start
     * loads picocli's classes, which the AOT cache cannot hold (20-35 ms of a cold start).
     */
    record Entry(Class<?> type, Supplier<Object> make, String sageMakerArgument) {
        Entry(Class<?> type, Supplier<Object> make) {
            this(type, make, null);
        }

        String name() {
            return type.getAnnotation(Command.class).name();
        }

        /** Runs a command whose call needs nothing parsed. */
        @SuppressWarnings("unchecked")
        int call() throws Exception {
            return ((Callable<Integer>) make.get()).call();
        }
    }

    /** Every command, one line each, in the order {@code --help} lists them. */
    static final List<Entry> COMMANDS =
            List.of(
                    new Entry(TrainCommand.class, TrainCommand::new, TrainCommand.NAME),
                    new Entry(ServeCommand.class, ServeCommand::new, ServeCommand.NAME),
                    new Entry(ProcessCommand.class, ProcessCommand::new),
                    new Entry(ProcessJoinCommand.class, ProcessJoinCommand::new),
                    new Entry(MonitorCommand.class, MonitorCommand::new),
                    new Entry(EvaluateCommand.class, EvaluateCommand::new),
                    new Entry(TuneCommand.class, () -> new TuneCommand(Main.class.getName())),
                    new Entry(RegistryCommand.class, RegistryCommand::new),
                    new Entry(DeployCommand.class, DeployCommand::new),
                    new Entry(
                            PipelineCommand.class, () -> new PipelineCommand(Main.class.getName())),
                    new Entry(MetricDefinitionsCommand.class, MetricDefinitionsCommand::new),
                    new Entry(SelfTest.class, SelfTest::new),
                    new Entry(VersionCommand.class, VersionCommand::new),
                    new Entry(HelpCommand.class, () -> new HelpCommand()));

    public static void main(String[] args) throws Exception {
        List<String> logNotes = LogLevel.apply(System.getenv());
        for (String note : logNotes) {
            org.slf4j.LoggerFactory.getLogger(Main.class).warn(note);
        }
        Optional<Entry> bare = startedBySageMaker(args);
        System.exit(bare.isPresent() ? bare.get().call() : commandLine(args).execute(args));
    }

    /**
     * {@code train} or {@code serve} alone, as SageMaker runs them, have no options to parse and
     * start without picocli: picocli's classes are too old a class-file version for the AOT cache,
     * and reading them cost these cold starts 100-200 ms (bench/RESULTS.md, "Redesign").
     */
    private static Optional<Entry> startedBySageMaker(String[] args) {
        return args.length != 1
                ? Optional.empty()
                : COMMANDS.stream().filter(e -> args[0].equals(e.sageMakerArgument())).findFirst();
    }

    /**
     * The command line for {@code args}: with only the command they name when they name one (so
     * that {@code serve} and {@code train} start without reading every other command's options:
     * bench/startup-ab), with all of them for help and mistakes.
     */
    static CommandLine commandLine(String[] args) {
        CommandLine line = new CommandLine(new Main());
        String first = args.length > 0 ? args[0] : "";
        List<Entry> named = COMMANDS.stream().filter(e -> e.name().equals(first)).toList();
        for (Entry e : named.isEmpty() || first.equals("help") ? COMMANDS : named) {
            line.addSubcommand(e.make().get());
        }
        line.setCaseInsensitiveEnumValuesAllowed(true);
        line.setParameterExceptionHandler(new Refusal());
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
    private static final class Refusal implements CommandLine.IParameterExceptionHandler {
        @Override
        public int handleParseException(ParameterException e, String[] args) {
            CommandLine command = e.getCommandLine();
            if (command.getCommand() instanceof JobCommand job) {
                return job.refuse(e.getMessage());
            }
            command.getErr().println(e.getMessage());
            command.usage(command.getErr());
            return command.getCommandSpec().exitCodeOnInvalidInput();
        }
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
        for (CommandLine sub : line.getSubcommands().values()) {
            withHelp(sub);
        }
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
