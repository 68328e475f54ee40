package dev.byoe.jobs.monitor;

import java.util.ArrayList;
import java.util.List;

/**
 * Records that could not be read: counted and reported with the first few places, never fatal on
 * their own.
 */
final class ReadProblems {
    private static final int EXAMPLES = 5;

    private long count;
    private final List<String> examples = new ArrayList<>();

    void add(String where, String what) {
        count++;
        if (examples.size() < EXAMPLES) {
            examples.add(where + ": " + what);
        }
    }

    long count() {
        return count;
    }

    List<String> examples() {
        return examples;
    }

    @Override
    public String toString() {
        return count == 0
                ? "none"
                : count
                        + " ("
                        + String.join("; ", examples)
                        + (count > examples.size() ? "; ..." : "")
                        + ")";
    }
}
