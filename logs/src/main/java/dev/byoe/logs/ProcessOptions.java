package dev.byoe.logs;

import dev.byoe.core.JobFailure;
import java.nio.file.Path;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.apache.commons.text.StringTokenizer;
import org.apache.commons.text.matcher.StringMatcherFactory;
import picocli.CommandLine;

/**
 * What to parse and how, checked: the options {@link ProcessArguments} declares, joined with the
 * job's defaults. {@code --preset hdfs} fills in LogHub's HDFS settings and block-id sessions;
 * options given explicitly win over the preset, and {@code --mask} adds to its masks.
 */
public record ProcessOptions(
        List<Path> inputs,
        Path output,
        String logFormat,
        Drain.Settings drain,
        Pattern sessionId,
        Window window,
        List<String> timeFields,
        String timeFormat,
        Path labels,
        Path drainState,
        boolean structured,
        int threads) {

    /**
     * A command line written as one string (the {@code process_options} hyperparameter) split into
     * its words as a shell would for the common cases: white space separates, and text inside
     * single or double quotes stays one word ({@code --log-format '<Date> <Time> <Content>'}).
     */
    public static List<String> words(String line) {
        StringTokenizer tokens =
                new StringTokenizer(
                        line,
                        StringMatcherFactory.INSTANCE.splitMatcher(),
                        StringMatcherFactory.INSTANCE.quoteMatcher());
        tokens.setIgnoreEmptyTokens(true);
        return tokens.getTokenList();
    }

    /** The same options writing under {@code folder} instead. */
    public ProcessOptions withOutput(Path folder) {
        return new ProcessOptions(
                inputs,
                folder,
                logFormat,
                drain,
                sessionId,
                window,
                timeFields,
                timeFormat,
                labels,
                drainState,
                structured,
                threads);
    }

    /** Time windows: fixed ({@code step == size}) or sliding, in seconds. */
    public record Window(long size, long step) implements java.io.Serializable {}

    /**
     * Options from a command line ({@code byoe process}'s, or the {@code process_options}
     * hyperparameter's words); inputs and output default to the given ones.
     *
     * @throws JobFailure naming the option that is wrong, with the usage
     */
    public static ProcessOptions parse(
            String[] args, List<Path> defaultInputs, Path defaultOutput) {
        ProcessArguments command = new ProcessArguments();
        CommandLine line = new CommandLine(command);
        try {
            line.parseArgs(args);
        } catch (CommandLine.ParameterException e) {
            throw new JobFailure(e.getMessage() + "\n" + line.getUsageMessage());
        }
        return of(command, defaultInputs, defaultOutput, null, null);
    }

    /** Checks and joins what the command line gave; the defaults fill what it left out. */
    public static ProcessOptions of(
            ProcessArguments c,
            List<Path> defaultInputs,
            Path defaultOutput,
            Path defaultLabels,
            Path defaultDrainState) {
        boolean hdfs = c.preset != null;
        List<String> masks = new ArrayList<>();
        if (hdfs) {
            masks.addAll(List.of("blk_-?\\d+", "(\\d+\\.){3}\\d+(:\\d+)?"));
        }
        masks.addAll(c.masks);
        for (String m : masks) {
            compile("--mask", m);
        }
        Drain.Settings settings;
        try {
            settings =
                    new Drain.Settings(
                            c.depth, c.st != null ? c.st : hdfs ? 0.5 : 0.4, c.maxChildren, masks);
        } catch (IllegalArgumentException e) {
            throw new JobFailure(e.getMessage());
        }
        String sessionId = c.sessionId != null ? c.sessionId : hdfs ? "blk_-?\\d+" : null;
        Window w = c.window == null ? null : window(c.window);
        if (w != null && c.sessionId != null) {
            throw new JobFailure("choose one session rule: --session-id or --window");
        }
        if (w != null) {
            sessionId = null;
        }
        List<String> fields = List.of();
        if (w != null) {
            if (c.timeFields == null || c.timeFormat == null) {
                throw new JobFailure("--window needs --time-fields and --time-format");
            }
            fields = List.of(c.timeFields.split(","));
            try {
                DateTimeFormatter.ofPattern(c.timeFormat, Locale.ROOT);
            } catch (IllegalArgumentException e) {
                throw new JobFailure("--time-format '" + c.timeFormat + "': " + e.getMessage());
            }
        }
        String format =
                c.logFormat != null
                        ? c.logFormat
                        : hdfs ? "<Date> <Time> <Pid> <Level> <Component>: <Content>" : "<Content>";
        return new ProcessOptions(
                c.inputs.isEmpty() ? defaultInputs : c.inputs.stream().map(Path::of).toList(),
                c.output != null ? Path.of(c.output) : defaultOutput,
                format,
                settings,
                sessionId == null ? null : compile("--session-id", sessionId),
                w,
                fields,
                w == null ? null : c.timeFormat,
                c.labels != null ? Path.of(c.labels) : defaultLabels,
                c.drainState != null ? Path.of(c.drainState) : defaultDrainState,
                c.structured,
                c.threads != null
                        ? Math.max(1, c.threads)
                        : Runtime.getRuntime().availableProcessors());
    }

    private static Window window(String spec) {
        String[] p = spec.split(":");
        try {
            if (p[0].equals("fixed") && p.length == 2) {
                long size = Long.parseLong(p[1]);
                return new Window(positive(size), size);
            }
            if (p[0].equals("sliding") && p.length == 3) {
                return new Window(positive(Long.parseLong(p[1])), positive(Long.parseLong(p[2])));
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new JobFailure(
                "--window must be fixed:SECONDS or sliding:SECONDS:STEP, got '" + spec + "'");
    }

    private static long positive(long v) {
        if (v <= 0) {
            throw new NumberFormatException();
        }
        return v;
    }

    private static Pattern compile(String name, String regex) {
        try {
            return Pattern.compile(regex);
        } catch (PatternSyntaxException e) {
            throw new JobFailure(
                    name
                            + " '"
                            + regex
                            + "' is not a valid regular expression: "
                            + e.getDescription());
        }
    }
}
