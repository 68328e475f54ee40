package dev.byoe.jobs.process;

import dev.byoe.logs.SessionKeys;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Groups parsed lines into sessions by a {@link SessionKeys} rule, keeping each session's ordered
 * event sequence (as cluster or event ids). Memory grows with the number of sessions and their
 * lengths, not with the input.
 */
final class Sessions {
    private final SessionKeys keys;

    /** Per session, in order of first appearance: its ids so far. */
    private final Map<String, Sequence> sequences = new LinkedHashMap<>();

    long linesWithoutSession;

    Sessions(SessionKeys keys) {
        this.keys = keys;
    }

    boolean enabled() {
        return keys.enabled();
    }

    void add(String[] fields, String content, int id) {
        List<String> of = keys.of(fields, content);
        if (of.isEmpty()) {
            linesWithoutSession++;
        }
        for (String key : of) {
            sequences.computeIfAbsent(key, k -> new Sequence()).add(id);
        }
    }

    private static final class Sequence {
        int[] ids = new int[8];
        int length;

        void add(int id) {
            if (length == ids.length) {
                ids = Arrays.copyOf(ids, length * 2);
            }
            ids[length++] = id;
        }
    }

    int[] sequence(String key) {
        Sequence s = sequences.get(key);
        return Arrays.copyOf(s.ids, s.length);
    }

    List<String> keys() {
        return new ArrayList<>(sequences.keySet());
    }
}
