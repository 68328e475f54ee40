package dev.byoe.spark;

import dev.byoe.logs.Drain;
import dev.byoe.logs.LogFormat;
import dev.byoe.logs.LogParser;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;

/**
 * How the second pass names each line's event, shipped to the executors. After learning, a
 * partition learns its lines again exactly as in the first pass (same lines, same order, same
 * clusters) and each line takes the merged event its cluster went into: the line's event is the
 * cluster it was learned into, as in {@code process}. Matching against the frozen parser instead
 * would leave lines unlabelled whose own cluster became mostly wildcards (Drain's similarity does
 * not count wildcards; HDFS's "ask ... to delete" lines listing many blocks are such). With a given
 * parser ({@code --drain-state}) every line is matched against it, as in {@code process}.
 */
final class EventLabeller implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String logFormat;
    private final Drain.Settings settings;
    private final int[][] eventOfCluster;
    private final byte[] frozen;

    private EventLabeller(
            String logFormat, Drain.Settings settings, int[][] eventOfCluster, byte[] frozen) {
        this.logFormat = logFormat;
        this.settings = settings;
        this.eventOfCluster = eventOfCluster;
        this.frozen = frozen;
    }

    /** Relearns each partition; {@code eventOfCluster[p][c]} is the event of partition p's c. */
    static EventLabeller relearning(
            String logFormat, Drain.Settings settings, int[][] eventOfCluster) {
        return new EventLabeller(logFormat, settings, eventOfCluster, null);
    }

    /** Matches against the parser saved in {@code drainJson}. */
    static EventLabeller matching(byte[] drainJson) {
        return new EventLabeller(null, null, null, drainJson);
    }

    /** The labeller of one partition's lines, used in line order. */
    Partition forPartition(int partition) {
        if (frozen != null) {
            try {
                LogParser parser = LogParser.read(new ByteArrayInputStream(frozen), "drain.json");
                return new Partition(parser, null);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return new Partition(
                new LogParser(new LogFormat(logFormat), new Drain(settings)),
                eventOfCluster[partition]);
    }

    /** Splits lines and names their events, one partition in order. */
    static final class Partition {
        private final LogParser parser;
        private final int[] eventOfCluster;

        private Partition(LogParser parser, int[] eventOfCluster) {
            this.parser = parser;
            this.eventOfCluster = eventOfCluster;
        }

        /** The line's header fields and content, or {@code null} if it does not fit the format. */
        String[] fields(String line) {
            return parser.fields(line);
        }

        int contentIndex() {
            return parser.format().contentIndex();
        }

        /** The event of the next line's content. */
        int event(String content) {
            if (eventOfCluster == null) {
                return parser.event(content);
            }
            return eventOfCluster[parser.learn(content)];
        }
    }
}
