package dev.byoe.jobs.process;

import dev.byoe.jobs.contract.JobFailure;
import dev.byoe.model.logs.Drain;
import java.nio.file.Path;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.apache.commons.text.StringTokenizer;
import org.apache.commons.text.matcher.StringMatcherFactory;

/**
 * What to parse and how, from command-line arguments ({@code --name value}). {@code --preset hdfs}
 * fills in LogHub's HDFS settings and block-id sessions; later arguments override a preset.
 */
public record ProcessOptions(
        List<Path> inputs,
        Path output,
        String logFormat,
        Drain.Settings drain,
        Pattern sessionId,
        Window window,
        List<String> timeFields,
        DateTimeFormatter timeFormat,
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
    public record Window(long size, long step) {}

    public static final String USAGE =
            """
            usage: byoe process [--preset hdfs] [--input DIR]... [--output DIR]
                   [--log-format '<Date> <Time> <Level> <Component>: <Content>'] [--mask REGEX]... [--st 0.5]
                   [--depth 4] [--max-children 100]
                   [--session-id REGEX | --window fixed:SECONDS | --window sliding:SECONDS:STEP
                    --time-fields Date,Time --time-format 'yyMMdd HHmmss']
                   [--labels FILE] [--drain-state drain.json] [--structured true|false] [--threads N]
            """;

    public static ProcessOptions parse(
            String[] args, List<Path> defaultInputs, Path defaultOutput) {
        List<Path> inputs = new ArrayList<>();
        Path output = defaultOutput;
        String format = "<Content>";
        List<String> masks = new ArrayList<>();
        double st = 0.4;
        int depth = 4;
        int maxChildren = 100;
        String sessionId = null;
        String window = null;
        String timeFields = null;
        String timeFormat = null;
        Path labels = null;
        Path state = null;
        boolean structured = true;
        int threads = Runtime.getRuntime().availableProcessors();
        for (int i = 0; i < args.length; i++) {
            String name = args[i];
            if (!name.startsWith("--") || i + 1 >= args.length) {
                throw new JobFailure("expected '--name value' at '" + name + "'\n" + USAGE);
            }
            String v = args[++i];
            switch (name) {
                case "--preset" -> {
                    if (!v.equalsIgnoreCase("hdfs")) {
                        throw new JobFailure("unknown preset '" + v + "' (known: hdfs)");
                    }
                    format = "<Date> <Time> <Pid> <Level> <Component>: <Content>";
                    masks = new ArrayList<>(List.of("blk_-?\\d+", "(\\d+\\.){3}\\d+(:\\d+)?"));
                    st = 0.5;
                    depth = 4;
                    sessionId = "blk_-?\\d+";
                }
                case "--input" -> inputs.add(Path.of(v));
                case "--output" -> output = Path.of(v);
                case "--log-format" -> format = v;
                case "--mask" -> masks.add(v);
                case "--st" -> st = number(name, v);
                case "--depth" -> depth = (int) number(name, v);
                case "--max-children" -> maxChildren = (int) number(name, v);
                case "--session-id" -> sessionId = v;
                case "--window" -> window = v;
                case "--time-fields" -> timeFields = v;
                case "--time-format" -> timeFormat = v;
                case "--labels" -> labels = Path.of(v);
                case "--drain-state" -> state = Path.of(v);
                case "--structured" -> structured = Boolean.parseBoolean(v);
                case "--threads" -> threads = Math.max(1, (int) number(name, v));
                default -> throw new JobFailure("unknown option " + name + "\n" + USAGE);
            }
        }
        for (String m : masks) {
            compile("--mask", m);
        }
        Drain.Settings settings;
        try {
            settings = new Drain.Settings(depth, st, maxChildren, masks);
        } catch (IllegalArgumentException e) {
            throw new JobFailure(e.getMessage());
        }
        Window w = window == null ? null : window(window);
        if (w != null && sessionId != null) {
            throw new JobFailure("choose one session rule: --session-id or --window");
        }
        DateTimeFormatter formatter = null;
        List<String> fields = List.of();
        if (w != null) {
            if (timeFields == null || timeFormat == null) {
                throw new JobFailure("--window needs --time-fields and --time-format");
            }
            fields = List.of(timeFields.split(","));
            try {
                formatter = DateTimeFormatter.ofPattern(timeFormat, Locale.ROOT);
            } catch (IllegalArgumentException e) {
                throw new JobFailure("--time-format '" + timeFormat + "': " + e.getMessage());
            }
        }
        return new ProcessOptions(
                inputs.isEmpty() ? defaultInputs : inputs,
                output,
                format,
                settings,
                sessionId == null ? null : compile("--session-id", sessionId),
                w,
                fields,
                formatter,
                labels,
                state,
                structured,
                threads);
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

    private static double number(String name, String v) {
        try {
            return Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw new JobFailure(name + " must be a number, got '" + v + "'");
        }
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
