package dev.byoe.jobs.process;

import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;

/**
 * Groups parsed lines into sessions, keeping each session's ordered event sequence (as cluster or
 * event ids). By identifier: every distinct match of the id regex in a line (a line naming two
 * blocks counts for both). By time: the windows the line's timestamp falls in. Memory grows with
 * the number of sessions and their lengths, not with the input.
 */
final class Sessions {
    private final ProcessOptions options;
    private final int[] timeFieldIndex;

    /** Per session, in order of first appearance: its ids so far. */
    private final Map<String, Sequence> sequences = new LinkedHashMap<>();

    long linesWithoutSession;

    Sessions(ProcessOptions options, List<String> formatFields) {
        this.options = options;
        this.timeFieldIndex =
                options.timeFields().stream()
                        .mapToInt(
                                f -> {
                                    int i = formatFields.indexOf(f.strip());
                                    if (i < 0) {
                                        throw new dev.byoe.jobs.contract.JobFailure(
                                                "--time-fields names '"
                                                        + f
                                                        + "', which is not a field of the log format "
                                                        + formatFields);
                                    }
                                    return i;
                                })
                        .toArray();
    }

    boolean enabled() {
        return options.sessionId() != null || options.window() != null;
    }

    void add(String[] fields, String content, int id) {
        if (options.sessionId() != null) {
            Matcher m = options.sessionId().matcher(content);
            Set<String> seen = null;
            boolean any = false;
            while (m.find()) {
                String key = m.group();
                if (seen == null) {
                    seen = new HashSet<>(2);
                }
                if (seen.add(key)) {
                    append(key, id);
                    any = true;
                }
            }
            if (!any) {
                linesWithoutSession++;
            }
        } else if (options.window() != null) {
            long t = timestamp(fields);
            if (t == Long.MIN_VALUE) {
                linesWithoutSession++;
                return;
            }
            ProcessOptions.Window w = options.window();
            long first = Math.floorDiv(t - w.size(), w.step()) + 1;
            long last = Math.floorDiv(t, w.step());
            for (long k = first; k <= last; k++) {
                append(LocalDateTime.ofEpochSecond(k * w.step(), 0, ZoneOffset.UTC).toString(), id);
            }
        }
    }

    private long timestamp(String[] fields) {
        StringBuilder sb = new StringBuilder();
        for (int i : timeFieldIndex) {
            if (!sb.isEmpty()) {
                sb.append(' ');
            }
            sb.append(fields[i]);
        }
        try {
            return LocalDateTime.parse(sb, options.timeFormat()).toEpochSecond(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            return Long.MIN_VALUE;
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

    private void append(String key, int id) {
        sequences.computeIfAbsent(key, k -> new Sequence()).add(id);
    }

    int[] sequence(String key) {
        Sequence s = sequences.get(key);
        return Arrays.copyOf(s.ids, s.length);
    }

    int count() {
        return sequences.size();
    }

    List<String> keys() {
        return new ArrayList<>(sequences.keySet());
    }
}
