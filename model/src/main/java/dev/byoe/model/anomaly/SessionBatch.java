package dev.byoe.model.anomaly;

import java.util.List;

/**
 * Sessions to score: an id per session and its ordered event ids. Event {@code n} is Drain's event
 * {@code E<n>}; 0 is the unknown event, and so is any id the model has not seen. The arrays are
 * shared, not copied.
 */
public record SessionBatch(List<String> ids, int[][] events) {
    public SessionBatch {
        ids = List.copyOf(ids);
        if (ids.size() != events.length) {
            throw new IllegalArgumentException(
                    ids.size() + " ids for " + events.length + " sessions");
        }
    }

    public int size() {
        return events.length;
    }

    /**
     * Per-session event counts over {@code eventCount} events; ids at or above it count as unknown
     * (0).
     */
    public double[][] counts(int eventCount) {
        double[][] out = new double[events.length][eventCount];
        for (int s = 0; s < events.length; s++) {
            for (int e : events[s]) {
                out[s][e < eventCount && e >= 0 ? e : 0]++;
            }
        }
        return out;
    }

    /** The sessions at {@code indices}, in that order. */
    public SessionBatch select(int[] indices) {
        String[] i2 = new String[indices.length];
        int[][] e2 = new int[indices.length][];
        for (int i = 0; i < indices.length; i++) {
            i2[i] = ids.get(indices[i]);
            e2[i] = events[indices[i]];
        }
        return new SessionBatch(List.of(i2), e2);
    }

    /**
     * An event token as written by {@code process} ({@code E12}) or as a bare id ({@code 12}).
     *
     * @throws IllegalArgumentException naming the token when it is neither
     */
    public static int parseEvent(String token) {
        int start = !token.isEmpty() && (token.charAt(0) == 'E' || token.charAt(0) == 'e') ? 1 : 0;
        if (start == token.length() || token.length() - start > 9) {
            throw new IllegalArgumentException("'" + token + "' is not an event id (E<n> or <n>)");
        }
        int v = 0;
        for (int i = start; i < token.length(); i++) {
            char c = token.charAt(i);
            if (c < '0' || c > '9') {
                throw new IllegalArgumentException(
                        "'" + token + "' is not an event id (E<n> or <n>)");
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }

    /** Space-separated event tokens ({@code "E5 E22 E5"}); empty text is an empty session. */
    public static int[] parseSequence(String text) {
        String t = text.strip();
        if (t.isEmpty()) {
            return new int[0];
        }
        String[] parts = t.split("\\s+");
        int[] out = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            out[i] = parseEvent(parts[i]);
        }
        return out;
    }

    /** Largest event id present, plus one (at least 1: the unknown event always exists). */
    public int eventSpan() {
        int max = 0;
        for (int[] s : events) {
            for (int e : s) {
                max = Math.max(max, e);
            }
        }
        return max + 1;
    }
}
