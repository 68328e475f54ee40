package dev.byoe.spark;

import dev.byoe.logs.Drain;
import dev.byoe.logs.LogFormat;
import dev.byoe.logs.LogParser;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * What Drain learned on one partition: its clusters' templates in the order they were made, each
 * with the number of lines it took. The merge learns these templates, partition after partition,
 * into one parser.
 */
record PartitionTemplates(int partition, List<String[]> templates, List<Long> sizes)
        implements Serializable {

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
        List<String[]> templates = new ArrayList<>();
        List<Long> sizes = new ArrayList<>();
        for (Drain.Cluster c : parser.drain().clusters()) {
            templates.add(c.tokens());
            sizes.add(c.size());
        }
        return new PartitionTemplates(partition, templates, sizes);
    }

    /**
     * Adds this partition's templates to the merged parser; returns, by this partition's cluster
     * id, the merged cluster each went into.
     */
    int[] mergeInto(Drain merged) {
        int[] into = new int[templates.size() + 1];
        for (int i = 0; i < templates.size(); i++) {
            into[i + 1] = merged.learn(templates.get(i), sizes.get(i));
        }
        return into;
    }
}
