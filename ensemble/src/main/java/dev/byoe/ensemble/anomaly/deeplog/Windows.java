package dev.byoe.ensemble.anomaly.deeplog;

import dev.byoe.ensemble.anomaly.SessionBatch;

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
final class Windows {
    final int window;

    /** {@code count * window} input ids, row-major. */
    final int[] inputs;

    final int[] next;
    final int count;

    private Windows(int window, int[] inputs, int[] next) {
        this.window = window;
        this.inputs = inputs;
        this.next = next;
        this.count = next.length;
    }

    /** Distinct windows: inputs, per-row next-event distribution and occurrence count. */
    record Distinct(
            int window,
            int classes,
            int[] inputs,
            float[] nextDistribution,
            float[] weight,
            long total) {
        int count() {
            return weight.length;
        }

        /**
         * The same rows with every weight above {@code factor} times the mean split into equal
         * parts: the summed loss is unchanged, but no minibatch is dominated by one very common
         * window (which makes minibatch gradients, and Adam's moments, jump).
         */
        Distinct balanced(double factor) {
            double cap = factor * total / count();
            int rows = 0;
            int[] parts = new int[count()];
            for (int r = 0; r < count(); r++) {
                parts[r] = (int) Math.max(1, Math.ceil(weight[r] / cap));
                rows += parts[r];
            }
            int[] in = new int[rows * window];
            float[] dist = new float[rows * classes];
            float[] w = new float[rows];
            int o = 0;
            for (int r = 0; r < count(); r++) {
                for (int p = 0; p < parts[r]; p++, o++) {
                    System.arraycopy(inputs, r * window, in, o * window, window);
                    System.arraycopy(nextDistribution, r * classes, dist, o * classes, classes);
                    w[o] = weight[r] / parts[r];
                }
            }
            return new Distinct(window, classes, in, dist, w, total);
        }
    }

    Distinct distinct(int classes) {
        java.util.Map<WindowKey, float[]> counts = new java.util.LinkedHashMap<>();
        for (int i = 0; i < count; i++) {
            int[] key = java.util.Arrays.copyOfRange(inputs, i * window, (i + 1) * window);
            counts.computeIfAbsent(new WindowKey(key), k -> new float[classes])[next[i]]++;
        }
        int n = counts.size();
        int[] in = new int[n * window];
        float[] dist = new float[n * classes];
        float[] weight = new float[n];
        int r = 0;
        for (var e : counts.entrySet()) {
            System.arraycopy(e.getKey().ids(), 0, in, r * window, window);
            float total = 0;
            for (float c : e.getValue()) {
                total += c;
            }
            for (int c = 0; c < classes; c++) {
                dist[r * classes + c] = e.getValue()[c] / total;
            }
            weight[r++] = total;
        }
        return new Distinct(window, classes, in, dist, weight, count);
    }

    private record WindowKey(int[] ids) {
        @Override
        public boolean equals(Object o) {
            return o instanceof WindowKey k && java.util.Arrays.equals(ids, k.ids);
        }

        @Override
        public int hashCode() {
            return java.util.Arrays.hashCode(ids);
        }
    }

    /**
     * Events at or above {@code eventCount} become the unknown event 0; padding is input {@code
     * eventCount}; with {@code endOfSession} each session adds one window whose next event is class
     * {@code eventCount}, the end.
     */
    static Windows of(SessionBatch sessions, int window, int eventCount, boolean endOfSession) {
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
