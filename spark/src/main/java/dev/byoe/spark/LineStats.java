package dev.byoe.spark;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * What the summary and {@code templates.csv} count, per partition and then merged: lines, malformed
 * lines (with the first few, by position), lines of the unknown event, lines in no session, and
 * lines per event.
 */
final class LineStats implements Serializable {
    private static final long serialVersionUID = 1L;
    static final int EXAMPLES = 5;

    long lines;
    long malformed;
    long unknown;
    long withoutSession;
    long[] occurrences = new long[1];
    final List<LabelledLine> examples = new ArrayList<>();

    void add(LabelledLine line) {
        lines++;
        if (line.event() < 0) {
            malformed++;
            if (examples.size() < EXAMPLES) {
                examples.add(line);
            }
            return;
        }
        if (line.event() == 0) {
            unknown++;
        }
        if (line.event() >= occurrences.length) {
            occurrences =
                    Arrays.copyOf(occurrences, Math.max(line.event() + 1, 2 * occurrences.length));
        }
        occurrences[line.event()]++;
        if (line.sessions().length == 0) {
            withoutSession++;
        }
    }

    LineStats merge(LineStats other) {
        lines += other.lines;
        malformed += other.malformed;
        unknown += other.unknown;
        withoutSession += other.withoutSession;
        if (other.occurrences.length > occurrences.length) {
            occurrences = Arrays.copyOf(occurrences, other.occurrences.length);
        }
        for (int e = 0; e < other.occurrences.length; e++) {
            occurrences[e] += other.occurrences[e];
        }
        examples.addAll(other.examples);
        examples.sort(Comparator.comparingLong(LabelledLine::position));
        while (examples.size() > EXAMPLES) {
            examples.remove(examples.size() - 1);
        }
        return this;
    }

    /** The examples as {@code process} reports them: where, then the line (cut at 200 chars). */
    List<String> exampleTexts() {
        List<String> out = new ArrayList<>();
        for (LabelledLine l : examples) {
            out.add(l.malformed());
        }
        return out;
    }
}
