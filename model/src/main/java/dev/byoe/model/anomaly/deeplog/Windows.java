package dev.byoe.model.anomaly.deeplog;

import dev.byoe.model.anomaly.SessionBatch;

/**
 * Next-event training pairs: every event of every session, predicted from the {@code window} events
 * before it. Positions before a session's start hold the padding input ({@code pad}), so short
 * sessions and the first events are predicted too, instead of being flagged or skipped.
 *
 * <p>Real logs repeat the same windows over and over (HDFS_100k: 81,234 windows, 1,391 distinct).
 * {@link #distinct()} folds them into one row per distinct window with the observed next-event
 * distribution as a soft label and the occurrence count as its weight: the summed cross-entropy,
 * and so the training objective, is exactly the same, at a fraction of the work.
 */
public final class Windows {
    public final int window;

    /** {@code count * window} input ids, row-major. */
    public final int[] inputs;

    public final int[] next;
    public final int count;

    private Windows(int window, int[] inputs, int[] next) {
        this.window = window;
        this.inputs = inputs;
        this.next = next;
        this.count = next.length;
    }

    /**
     * Events at or above {@code eventCount} become the unknown event 0; padding is input {@code
     * eventCount}; with {@code endOfSession} each session adds one window whose next event is class
     * {@code eventCount}, the end.
     */
    public static Windows of(
            SessionBatch sessions, int window, int eventCount, boolean endOfSession) {
        int extra = endOfSession ? 1 : 0;
        int total = 0;
        for (int[] s : sessions.events()) {
            total += s.length + extra;
        }
        int[] in = new int[total * window];
        int[] next = new int[total];
        int w = 0;
        for (int[] s : sessions.events()) {
            for (int t = 0; t < s.length + extra; t++, w++) {
                fill(s, t, window, eventCount, in, w * window);
                next[w] = t < s.length ? clamp(s[t], eventCount) : eventCount;
            }
        }
        return new Windows(window, in, next);
    }

    /**
     * Writes the window that precedes position {@code t} of {@code session} at {@code
     * out[offset..]}.
     */
    static void fill(int[] session, int t, int window, int eventCount, int[] out, int offset) {
        for (int k = 0; k < window; k++) {
            int src = t - window + k;
            out[offset + k] = src < 0 ? eventCount : clamp(session[src], eventCount);
        }
    }

    static int clamp(int event, int eventCount) {
        return event >= 0 && event < eventCount ? event : 0;
    }
}
