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

    /** A line's event {@code id}; {@code file} and {@code line} say where the line is. */
    void add(String[] fields, String content, int id, String file, long line) {
        List<String> of = keys.of(fields, content);
        if (of.isEmpty()) {
            linesWithoutSession++;
        }
        for (int k = 0; k < of.size(); k++) {
            Sequence s = sequences.computeIfAbsent(of.get(k), key -> new Sequence());
            if (s.parts.isEmpty() || !s.parts.get(s.parts.size() - 1).file().equals(file)) {
                s.parts.add(new Part(file, line, k, s.length));
            }
            s.add(id);
        }
    }

    /**
     * Where a session's lines from one file begin: the file, its line there, the place of the
     * session among those that line names, and the offset in the session's sequence.
     */
    record Part(String file, long line, int keyInLine, int from) {}

    private static final class Sequence {
        int[] ids = new int[8];
        int length;
        final List<Part> parts = new ArrayList<>(1);

        void add(int id) {
            if (length == ids.length) {
                ids = Arrays.copyOf(ids, length * 2);
            }
            ids[length++] = id;
        }
    }

    /** The session's parts, one per file it has lines in, in input order. */
    List<Part> parts(String key) {
        return sequences.get(key).parts;
    }

    int[] sequence(String key) {
        Sequence s = sequences.get(key);
        return Arrays.copyOf(s.ids, s.length);
    }

    List<String> keys() {
        return new ArrayList<>(sequences.keySet());
    }
}
