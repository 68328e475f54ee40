package dev.byoe.serve.codec;

import com.fasterxml.jackson.databind.JsonNode;
import dev.byoe.ensemble.anomaly.LogAnomalyModel;
import dev.byoe.ensemble.anomaly.SessionBatch;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Decodes a request for a log-anomaly model into sessions. {@code text/plain}: raw log lines,
 * parsed with the model's Drain state and grouped by its session rule. CSV: one session per row,
 * {@code [id,]events} (events space-separated, {@code E5} or {@code 5}; a header row is
 * skipped), or event-count vectors (see {@link #csv}).
 * JSON: {@code {"sessions": [...]}} or a bare array; JSON Lines: one per line; each session is
 * {@code {"id": ..., "events": "E5 E22" | ["E5", ...] | [5, ...]}} or {@code {"id": ..., "counts": [..]}}
 * (event-count vectors, for models whose members ignore order).
 */
public final class SessionRequestDecoder {
    /** Events one count-vector session may expand to: a few bytes of counts must not become gigabytes. */
    static final int MAX_EVENTS = 1_000_000;
    /** Events a whole request may expand to (40 MB of ids), whatever its sessions say. */
    static final long MAX_REQUEST_EVENTS = 10_000_000;

    private SessionRequestDecoder() {
    }

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
            throw new HttpProblem(415, "this model was trained without a Drain parser (no 'drain' channel), so it takes "
                    + "sessions (" + Format.supported() + "), not raw log lines");
        }
        List<String> lines = RequestDecoder.utf8(body).lines().toList();
        LogAnomalyModel.ParsedLines parsed = model.sessionsOf(lines);
        if (parsed.sessions().size() == 0) {
            throw HttpProblem.badRequest("none of the " + parsed.lines() + " lines names a session (the model's session rule is "
                    + model.manifest().path("session_id_regex").asText() + ")");
        }
        return parsed.sessions();
    }

    public static SessionBatch decode(byte[] body, Format format, boolean orderFree) {
        String text = RequestDecoder.utf8(body);
        List<String> ids = new ArrayList<>();
        List<int[]> events = new BoundedEvents();
        switch (format) {
            case CSV -> csv(text, ids, events, orderFree);
            case JSON -> {
                JsonNode root = JsonRequestDecoder.parse(body, "");
                JsonNode list = root.isObject() && root.has("sessions") ? root.get("sessions") : root;
                if (!list.isArray()) {
                    throw HttpProblem.badRequest("expected {\"sessions\": [...]} or an array of sessions");
                }
                for (int i = 0; i < list.size(); i++) {
                    session(list.get(i), "session " + (i + 1), orderFree, ids, events);
                }
            }
            case JSON_LINES -> {
                String[] lines = text.split("\r?\n");
                for (int i = 0; i < lines.length; i++) {
                    if (!lines[i].isBlank()) {
                        String where = "line " + (i + 1);
                        session(JsonRequestDecoder.parse(lines[i].getBytes(java.nio.charset.StandardCharsets.UTF_8), where + ": "),
                                where, orderFree, ids, events);
                    }
                }
            }
        }
        if (ids.isEmpty()) {
            throw HttpProblem.badRequest("the body holds no sessions");
        }
        return new SessionBatch(ids, events.toArray(new int[0][]));
    }

    /** The sessions' events, refusing a request whose counts would expand past {@link #MAX_REQUEST_EVENTS}. */
    private static final class BoundedEvents extends ArrayList<int[]> {
        private long total;

        @Override
        public boolean add(int[] sessionEvents) {
            total += sessionEvents.length;
            if (total > MAX_REQUEST_EVENTS) {
                throw new HttpProblem(413, "the request expands to more than " + MAX_REQUEST_EVENTS
                        + " events; send fewer sessions per request");
            }
            return super.add(sessionEvents);
        }
    }

    /**
     * CSV rows: {@code [id,]events} (the last cell holds the space-separated events), or count
     * vectors: a header naming event columns {@code E0,E1,...} as {@code process} writes
     * {@code event_counts.csv}, or header-less rows {@code id,count0,count1,...}.
     */
    private static void csv(String text, List<String> ids, List<int[]> events, boolean orderFree) {
        String[] rows = text.split("\r?\n");
        int[] countColumns = null; // event id per column when the body holds count vectors
        for (int r = 0; r < rows.length; r++) {
            String row = rows[r];
            if (row.isBlank()) {
                continue;
            }
            String[] cells = row.split(",", -1);
            String seq = unquote(cells[cells.length - 1].strip());
            if (r == 0 && seq.equalsIgnoreCase("EventSequence")) {
                continue; // a header row
            }
            if (r == 0 && cells.length >= 3 && cells[cells.length - 1].strip().matches("[Ee]\\d+")) {
                countColumns = new int[cells.length];
                for (int c = 0; c < cells.length; c++) {
                    String name = cells[c].strip();
                    try {
                        countColumns[c] = name.matches("[Ee]\\d+") ? SessionBatch.parseEvent(name) : -1;
                    } catch (IllegalArgumentException e) {
                        throw HttpProblem.badRequest("row 1, column " + (c + 1) + " of the header: " + e.getMessage());
                    }
                }
                continue; // the header of event_counts.csv
            }
            String where = "row " + (r + 1);
            if (countColumns == null && cells.length >= 3 && !seq.contains(" ") && !seq.startsWith("E") && !seq.startsWith("e")) {
                countColumns = new int[cells.length];
                for (int c = 0; c < cells.length; c++) {
                    countColumns[c] = c - 1;
                }
            }
            if (countColumns != null) {
                if (!orderFree) {
                    throw HttpProblem.badRequest(where + ": this model has an order-aware member (deeplog); send events in "
                            + "order ([id,]E5 E22 ...) rather than counts");
                }
                if (cells.length != countColumns.length) {
                    throw HttpProblem.badRequest(where + ": " + cells.length + " columns, expected " + countColumns.length);
                }
                ids.add(cells[0].strip());
                events.add(countRow(cells, countColumns, where));
                continue;
            }
            try {
                events.add(SessionBatch.parseSequence(seq));
            } catch (IllegalArgumentException e) {
                throw HttpProblem.badRequest(where + ", column " + cells.length + ": " + e.getMessage());
            }
            ids.add(cells.length > 1 ? unquote(cells[0].strip()) : Integer.toString(ids.size()));
        }
    }

    private static String unquote(String v) {
        return v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"") ? v.substring(1, v.length() - 1) : v;
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
                throw HttpProblem.badRequest(where + ", column " + (c + 1) + ": '" + v + "' is not an event count");
            }
            if (out.size() + n > MAX_EVENTS) {
                throw HttpProblem.badRequest(where + ": counts add up to more than " + MAX_EVENTS + " events");
            }
            for (int k = 0; k < n; k++) {
                out.add(columns[c]);
            }
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    private static void session(JsonNode node, String where, boolean orderFree, List<String> ids, List<int[]> events) {
        if (!node.isObject()) {
            throw HttpProblem.badRequest(where + ": expected an object with \"events\" (or \"counts\")");
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
                        throw new IllegalArgumentException("event " + (i + 1) + " (" + e + ") is not an event id");
                    }
                }
                events.add(out);
            } else if (counts != null && counts.isArray()) {
                if (!orderFree) {
                    throw HttpProblem.badRequest(where + ": this model has an order-aware member (deeplog); send \"events\" "
                            + "in order rather than \"counts\"");
                }
                events.add(expand(counts, where));
            } else {
                throw new IllegalArgumentException("needs \"events\" (a string or an array) or \"counts\"");
            }
        } catch (IllegalArgumentException e) {
            throw HttpProblem.badRequest(where + ": " + e.getMessage());
        }
    }

    /** A count vector as a sequence with each event repeated; only for members that ignore order. */
    private static int[] expand(JsonNode counts, String where) {
        int total = 0;
        int[] c = new int[counts.size()];
        for (int e = 0; e < c.length; e++) {
            JsonNode n = counts.get(e);
            if (!n.canConvertToInt() || n.asInt() < 0 || n.asDouble() != Math.rint(n.asDouble())) {
                throw HttpProblem.badRequest(where + ": counts[" + e + "] = " + n + " is not a count");
            }
            c[e] = n.asInt();
            total += c[e];
            if (total > MAX_EVENTS) {
                throw HttpProblem.badRequest(where + ": counts add up to more than " + MAX_EVENTS + " events");
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
