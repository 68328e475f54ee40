package dev.byoe.logs;

import dev.byoe.core.JobFailure;
import java.io.Serializable;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which sessions a parsed line belongs to. By identifier: every distinct match of the id regex in
 * the line's content (a line naming two blocks counts for both). By time: every window its
 * timestamp falls in, named by the window's start. Serializable, so that the Spark job ships it to
 * its executors.
 */
public final class SessionKeys implements Serializable {
    private static final long serialVersionUID = 1L;

    private final Pattern sessionId;
    private final ProcessOptions.Window window;
    private final int[] timeFieldIndex;
    private final String timeFormat;
    private transient DateTimeFormatter formatter;

    public SessionKeys(ProcessOptions options, List<String> formatFields) {
        this.sessionId = options.sessionId();
        this.window = options.window();
        this.timeFormat = options.timeFormat();
        this.timeFieldIndex =
                options.timeFields().stream()
                        .mapToInt(
                                f -> {
                                    int i = formatFields.indexOf(f.strip());
                                    if (i < 0) {
                                        throw new JobFailure(
                                                "--time-fields names '"
                                                        + f
                                                        + "', which is not a field of the log format "
                                                        + formatFields);
                                    }
                                    return i;
                                })
                        .toArray();
    }

    /** Whether the options group lines into sessions at all. */
    public boolean enabled() {
        return sessionId != null || window != null;
    }

    /**
     * The sessions of a line with these header fields and content, in the order the rule finds
     * them; empty when it belongs to none (no id in it, or a time that does not parse).
     */
    public List<String> of(String[] fields, String content) {
        List<String> keys = new ArrayList<>(1);
        if (sessionId != null) {
            Matcher m = sessionId.matcher(content);
            while (m.find()) {
                String key = m.group();
                if (!keys.contains(key)) {
                    keys.add(key);
                }
            }
        } else if (window != null) {
            long t = timestamp(fields);
            if (t != Long.MIN_VALUE) {
                ProcessOptions.Window w = window;
                long first = Math.floorDiv(t - w.size(), w.step()) + 1;
                long last = Math.floorDiv(t, w.step());
                for (long k = first; k <= last; k++) {
                    keys.add(
                            LocalDateTime.ofEpochSecond(k * w.step(), 0, ZoneOffset.UTC)
                                    .toString());
                }
            }
        }
        return keys;
    }

    private long timestamp(String[] fields) {
        StringBuilder sb = new StringBuilder();
        for (int i : timeFieldIndex) {
            if (sb.length() > 0) {
                sb.append(' ');
            }
            sb.append(fields[i]);
        }
        if (formatter == null) {
            formatter = DateTimeFormatter.ofPattern(timeFormat, Locale.ROOT);
        }
        try {
            return LocalDateTime.parse(sb, formatter).toEpochSecond(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            return Long.MIN_VALUE;
        }
    }
}
