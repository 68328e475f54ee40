package dev.byoe.model.anomaly.deeplog;

import java.util.Arrays;

/**
 * Where the normal training sessions ended: how many ended after each event (index {@code
 * eventCount}: sessions with no events). DeepLog's top-g cannot judge an ending: after most windows
 * only two or three events are plausible, so the end lands among the g = 9 "predicted" classes even
 * where no training session ever stopped (HDFS sessions cut after {@code 5 22}). An ending is
 * therefore checked the way DeepLog's workflow model checks a path: it is normal only after an
 * event that ended at least {@code minShare} of the training sessions. Short sessions are judged by
 * the same rule as long ones; their length is not a criterion.
 */
public record SessionEnds(int[] counts) {
    public SessionEnds {
        counts = counts.clone();
    }

    /** Counts the last event of each session ({@code eventCount} for an empty session). */
    public static SessionEnds of(int[][] sessions, int eventCount) {
        int[] counts = new int[eventCount + 1];
        for (int[] s : sessions) {
            counts[lastEvent(s, eventCount)]++;
        }
        return new SessionEnds(counts);
    }

    /** The event a session ends after; events the model does not know count as unknown (0). */
    static int lastEvent(int[] session, int eventCount) {
        return session.length == 0
                ? eventCount
                : Windows.clamp(session[session.length - 1], eventCount);
    }

    /** Per last event: whether ending after it is normal under {@code minShare}. */
    public boolean[] allowed(double minShare) {
        long total = Arrays.stream(counts).asLongStream().sum();
        boolean[] out = new boolean[counts.length];
        for (int e = 0; e < counts.length; e++) {
            out[e] = minShare <= 0 || (counts[e] > 0 && counts[e] >= minShare * total);
        }
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SessionEnds e && Arrays.equals(counts, e.counts);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(counts);
    }

    @Override
    public String toString() {
        return "SessionEnds" + Arrays.toString(counts);
    }
}
