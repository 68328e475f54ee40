package dev.byoe.logs;

import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * The options of log processing as the command line gives them, shared by {@code byoe process} and
 * the Spark job (a picocli mixin); {@link ProcessOptions} checks them. Locations stay text: the
 * Spark job reads them as Hadoop URIs ({@code s3a://...}), {@code process} as local paths.
 */
public final class ProcessArguments {
    /** The presets {@code --preset} knows. */
    public enum Preset {
        hdfs
    }

    @Option(
            names = "--preset",
            description = "settings of a known system: ${COMPLETION-CANDIDATES}")
    Preset preset;

    @Option(
            names = "--input",
            paramLabel = "DIR",
            description = "a folder or file of logs (repeatable)")
    List<String> inputs = new ArrayList<>();

    @Option(names = "--output", paramLabel = "DIR")
    String output;

    @Option(
            names = "--log-format",
            paramLabel = "FORMAT",
            description =
                    "header fields and <Content>, as '<Date> <Time> <Level> <Component>: <Content>'")
    String logFormat;

    @Option(
            names = "--mask",
            paramLabel = "REGEX",
            description = "masked before parsing (repeatable)")
    List<String> masks = new ArrayList<>();

    @Option(
            names = "--st",
            description = "Drain's similarity threshold (default 0.4; 0.5 with the preset)")
    Double st;

    @Option(
            names = "--depth",
            defaultValue = "4",
            description = "Drain's tree depth (default ${DEFAULT-VALUE})")
    int depth;

    @Option(
            names = "--max-children",
            defaultValue = "100",
            description = "default ${DEFAULT-VALUE}")
    int maxChildren;

    @Option(
            names = "--session-id",
            paramLabel = "REGEX",
            description = "sessions by an id in each line")
    String sessionId;

    @Option(
            names = "--window",
            paramLabel = "SPEC",
            description = "sessions by time: fixed:SECONDS or sliding:SECONDS:STEP")
    String window;

    @Option(
            names = "--time-fields",
            paramLabel = "A,B",
            description = "header fields holding the time")
    String timeFields;

    @Option(names = "--time-format", paramLabel = "PATTERN", description = "as 'yyMMdd HHmmss'")
    String timeFormat;

    @Option(names = "--labels", paramLabel = "FILE", description = "SessionId,Label CSV")
    String labels;

    @Option(
            names = "--drain-state",
            paramLabel = "FILE",
            description = "drain.json to continue from")
    String drainState;

    @Option(
            names = "--structured",
            arity = "1",
            defaultValue = "true",
            description = "also write the structured lines (default ${DEFAULT-VALUE})")
    boolean structured;

    @Option(names = "--threads", description = "default: the processors")
    Integer threads;

    /** The input locations given with {@code --input}, in order. */
    public List<String> inputs() {
        return inputs;
    }

    public String output() {
        return output;
    }

    public String labels() {
        return labels;
    }

    public String drainState() {
        return drainState;
    }
}
