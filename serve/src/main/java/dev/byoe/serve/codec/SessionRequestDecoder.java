package dev.byoe.serve.codec;

import com.fasterxml.jackson.databind.JsonNode;
import dev.byoe.core.data.CsvFormatException;
import dev.byoe.core.data.CsvRecordReader;
import dev.byoe.model.anomaly.LogAnomalyModel;
import dev.byoe.model.anomaly.SessionBatch;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Decodes a request for a log-anomaly model into sessions. {@code text/plain}: raw log lines,
 * parsed with the model's Drain state and grouped by its session rule. CSV: one session per row,
 * {@code [id,]events} (events space-separated, {@code E5} or {@code 5}; a header row is skipped),
 * or event-count vectors (see {@link #csv}). JSON: {@code {"sessions": [...]}} or a bare array;
 * JSON Lines: one per line; each session is {@code {"id": ..., "events": "E5 E22" | ["E5", ...] |
 * [5, ...]}} or {@code {"id": ..., "counts": [..]}} (event-count vectors, for models whose members
 * ignore order).
 */
public final class SessionRequestDecoder {
    /**
     * Events one count-vector session may expand to: a few bytes of counts must not become
     * gigabytes.
     */
    static final int MAX_EVENTS = 1_000_000;

    /** Events a whole request may expand to (40 MB of ids), whatever its sessions say. */
    static final long MAX_REQUEST_EVENTS = 10_000_000;

    private SessionRequestDecoder() {}

    /** Whether the Content-Type is raw log text. */
    public static boolean isRawLines(String contentType) {
        if (contentType == null) {
            return false;
        }
        try {
            return MediaType.parse(contentType).essence().equals("text/plain");
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    public static SessionBatch rawLines(byte[] body, LogAnomalyModel model) {
        if (!model.acceptsRawLines()) {
            throw RequestProblem.unsupportedType(
                    "this model was trained without a Drain parser (no 'drain' channel), so it takes "
                            + "sessions ("
                            + Formats.supported()
                            + "), not raw log lines");
        }
        List<String> lines = RequestDecoder.utf8(body).lines().toList();
        LogAnomalyModel.ParsedLines parsed = model.sessionsOf(lines);
        if (parsed.sessions().size() == 0) {
            throw RequestProblem.malformed(
                    "none of the "
                            + parsed.lines()
                            + " lines names a session (the model's session rule is "
                            + model.manifest().path("session_id_regex").asText()
                            + ")");
        }
        return parsed.sessions();
    }

    static SessionBatch csv(byte[] body, boolean orderFree) {
        List<String> ids = new ArrayList<>();
        List<int[]> events = new BoundedEvents();
        csv(RequestDecoder.utf8(body), ids, events, orderFree);
        return batch(ids, events);
    }

    static SessionBatch json(byte[] body, boolean orderFree) {
        RequestDecoder.utf8(body);
        List<String> ids = new ArrayList<>();
        List<int[]> events = new BoundedEvents();
        // Several documents (batch transform's SplitType Line with MultiRecord) are read in
        // turn.
        int n = 0;
        for (JsonNode root : JsonRequestDecoder.parseAll(RequestDecoder.toUtf8(body, null))) {
            JsonNode list = root.isObject() && root.has("sessions") ? root.get("sessions") : root;
            if (list.isObject()) {
                session(list, "session " + (++n), orderFree, ids, events);
            } else if (list.isArray()) {
                for (JsonNode one : list) {
                    session(one, "session " + (++n), orderFree, ids, events);
                }
            } else {
                throw RequestProblem.malformed(
                        "expected {\"sessions\": [...]}, an array of sessions or a session object");
            }
        }
        return batch(ids, events);
    }

    static SessionBatch jsonLines(byte[] body, boolean orderFree) {
        String text = RequestDecoder.utf8(body);
        List<String> ids = new ArrayList<>();
        List<int[]> events = new BoundedEvents();
        String[] lines = text.split("\r?\n");
        for (int i = 0; i < lines.length; i++) {
            if (!lines[i].isBlank()) {
                String where = "line " + (i + 1);
                session(
                        JsonRequestDecoder.parse(
                                lines[i].getBytes(java.nio.charset.StandardCharsets.UTF_8),
                                where + ": "),
                        where,
                        orderFree,
                        ids,
                        events);
            }
        }
        return batch(ids, events);
    }

    private static SessionBatch batch(List<String> ids, List<int[]> events) {
        if (ids.isEmpty()) {
            throw RequestProblem.malformed("the body holds no sessions");
        }
        return new SessionBatch(ids, events.toArray(new int[0][]));
    }

    /**
     * The sessions' events, refusing a request whose counts would expand past {@link
     * #MAX_REQUEST_EVENTS}.
     */
    private static final class BoundedEvents extends ArrayList<int[]> {
        private long total;

        @Override
        public boolean add(int[] sessionEvents) {
            total += sessionEvents.length;
            if (total > MAX_REQUEST_EVENTS) {
                throw RequestProblem.tooLarge(
                        "the request expands to more than "
                                + MAX_REQUEST_EVENTS
                                + " events; send fewer sessions per request");
            }
            return super.add(sessionEvents);
        }
    }

    /**
     * CSV rows (RFC 4180, so a quoted id may hold commas): {@code [id,]events} (the last cell holds
     * the space-separated events), or count vectors: a header naming event columns {@code
     * E0,E1,...} as {@code process} writes {@code event_counts.csv}, or header-less rows {@code
     * id,count0,count1,...}.
     */
    private static void csv(String text, List<String> ids, List<int[]> events, boolean orderFree) {
        CsvRecordReader reader = new CsvRecordReader(new StringReader(text));
        int[] countColumns = null; // event id per column when the body holds count vectors
        boolean first = true;
        try {
            String[] cells;
            while ((cells = reader.next()) != null) {
                String where = "row " + reader.recordLine();
                boolean header = first;
                first = false;
                if (cells.length == 1 && cells[0].isBlank()) {
                    continue;
                }
                String seq = cells[cells.length - 1].strip();
                if (header && seq.equalsIgnoreCase("EventSequence")) {
                    continue;
                }
                if (header && cells.length >= 3 && EVENT_NAME.matcher(seq).matches()) {
                    countColumns = countHeader(cells);
                    continue; // the header of event_counts.csv
                }
                if (countColumns == null
                        && cells.length >= 3
                        && !seq.contains(" ")
                        && !seq.startsWith("E")
                        && !seq.startsWith("e")) {
                    countColumns = new int[cells.length];
                    for (int c = 0; c < cells.length; c++) {
                        countColumns[c] = c - 1;
                    }
                }
                if (countColumns != null) {
                    if (!orderFree) {
                        throw RequestProblem.malformed(
                                where
                                        + ": this model has a member that reads event order; send events in "
                                        + "order ([id,]E5 E22 ...) rather than counts");
                    }
                    if (cells.length != countColumns.length) {
                        throw RequestProblem.malformed(
                                where
                                        + ": "
                                        + cells.length
                                        + " columns, expected "
                                        + countColumns.length);
                    }
                    ids.add(cells[0].strip());
                    events.add(countRow(cells, countColumns, where));
                    continue;
                }
                try {
                    events.add(SessionBatch.parseSequence(seq));
                } catch (IllegalArgumentException e) {
                    throw RequestProblem.malformed(
                            where + ", column " + cells.length + ": " + e.getMessage());
                }
                ids.add(cells.length > 1 ? cells[0].strip() : Integer.toString(ids.size()));
            }
        } catch (CsvFormatException e) {
            throw RequestProblem.malformed("malformed CSV at " + e.getMessage());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static final Pattern EVENT_NAME = Pattern.compile("[Ee]\\d+");

    private static int[] countHeader(String[] cells) {
        int[] columns = new int[cells.length];
        for (int c = 0; c < cells.length; c++) {
            String name = cells[c].strip();
            try {
                columns[c] =
                        EVENT_NAME.matcher(name).matches() ? SessionBatch.parseEvent(name) : -1;
            } catch (IllegalArgumentException e) {
                throw RequestProblem.malformed(
                        "row 1, column " + (c + 1) + " of the header: " + e.getMessage());
            }
        }
        return columns;
    }

    private static int[] countRow(String[] cells, int[] columns, String where) {
        List<Integer> out = new ArrayList<>();
        for (int c = 0; c < cells.length; c++) {
            if (columns[c] < 0) {
                continue; // id or label column
            }
            String v = cells[c].strip();
            int n;
            try {
                n = Integer.parseInt(v);
            } catch (NumberFormatException e) {
                n = -1;
            }
            if (n < 0 || n > MAX_EVENTS) {
                throw RequestProblem.malformed(
                        where + ", column " + (c + 1) + ": '" + v + "' is not an event count");
            }
            if (out.size() + n > MAX_EVENTS) {
                throw RequestProblem.malformed(
                        where + ": counts add up to more than " + MAX_EVENTS + " events");
            }
            for (int k = 0; k < n; k++) {
                out.add(columns[c]);
            }
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    private static void session(
            JsonNode node, String where, boolean orderFree, List<String> ids, List<int[]> events) {
        if (!node.isObject()) {
            throw RequestProblem.malformed(
                    where + ": expected an object with \"events\" (or \"counts\")");
        }
        JsonNode id = node.get("id");
        ids.add(id == null || id.isNull() ? Integer.toString(ids.size()) : id.asText());
        JsonNode ev = node.get("events");
        JsonNode counts = node.get("counts");
        try {
            if (ev != null && ev.isTextual()) {
                events.add(SessionBatch.parseSequence(ev.asText()));
            } else if (ev != null && ev.isArray()) {
                int[] out = new int[ev.size()];
                for (int i = 0; i < out.length; i++) {
                    JsonNode e = ev.get(i);
                    if (e.isInt() && e.asInt() >= 0) {
                        out[i] = e.asInt();
                    } else if (e.isTextual()) {
                        out[i] = SessionBatch.parseEvent(e.asText());
                    } else {
                        throw new IllegalArgumentException(
                                "event " + (i + 1) + " (" + e + ") is not an event id");
                    }
                }
                events.add(out);
            } else if (counts != null && counts.isArray()) {
                if (!orderFree) {
                    throw RequestProblem.malformed(
                            where
                                    + ": this model has a member that reads event order; send \"events\" "
                                    + "in order rather than \"counts\"");
                }
                events.add(expand(counts, where));
            } else {
                throw new IllegalArgumentException(
                        "needs \"events\" (a string or an array) or \"counts\"");
            }
        } catch (IllegalArgumentException e) {
            throw RequestProblem.malformed(where + ": " + e.getMessage());
        }
    }

    /**
     * A count vector as a sequence with each event repeated; only for members that ignore order.
     */
    private static int[] expand(JsonNode counts, String where) {
        int total = 0;
        int[] c = new int[counts.size()];
        for (int e = 0; e < c.length; e++) {
            JsonNode n = counts.get(e);
            if (!n.canConvertToInt() || n.asInt() < 0 || n.asDouble() != Math.rint(n.asDouble())) {
                throw RequestProblem.malformed(
                        where + ": counts[" + e + "] = " + n + " is not a count");
            }
            c[e] = n.asInt();
            total += c[e];
            if (total > MAX_EVENTS) {
                throw RequestProblem.malformed(
                        where + ": counts add up to more than " + MAX_EVENTS + " events");
            }
        }
        int[] out = new int[total];
        int k = 0;
        for (int e = 0; e < c.length; e++) {
            Arrays.fill(out, k, k + c[e], e);
            k += c[e];
        }
        return out;
    }
}
