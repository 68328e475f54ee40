package dev.byoe.spark;

import dev.byoe.logs.Drain;
import dev.byoe.logs.LogFormat;
import dev.byoe.logs.LogParser;
import java.io.Serializable;
import java.util.Iterator;
import java.util.List;

/**
 * What Drain learned on one partition: its clusters in the order they were made, each with the
 * number of lines it took. The driver merges them ({@link Drain#merge}), partition after partition,
 * into one parser.
 */
record PartitionTemplates(int partition, List<Drain.Cluster> clusters) implements Serializable {

    /** Learns the partition's lines in order with a parser of its own. */
    static PartitionTemplates learn(
            int partition, Iterator<LogLine> lines, String logFormat, Drain.Settings settings) {
        LogParser parser = new LogParser(new LogFormat(logFormat), new Drain(settings));
        int content = parser.format().contentIndex();
        while (lines.hasNext()) {
            String[] fields = parser.fields(lines.next().text());
            if (fields != null) {
                parser.learn(fields[content]);
            }
        }
        return new PartitionTemplates(partition, List.copyOf(parser.drain().clusters()));
    }
}
