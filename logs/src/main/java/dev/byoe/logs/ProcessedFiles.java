package dev.byoe.logs;

import dev.byoe.core.JobFailure;
import dev.byoe.core.data.CsvRecordReader;
import dev.byoe.core.data.CsvText;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.Writer;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The files a processing job writes, one format for both routes ({@code byoe process} and the Spark
 * job), so that {@code train} reads either unchanged: {@value #STRUCTURED} (every parsed line with
 * its event), {@value #TEMPLATES}, {@value #SESSIONS} (each session's event sequence in line
 * order), {@value #EVENT_COUNTS}, {@value #DRAIN} (the frozen parser) and {@value #SUMMARY}.
 * Sessions appear in the order of their first line.
 */
public final class ProcessedFiles {
    public static final String STRUCTURED = "structured.csv";
    public static final String TEMPLATES = "templates.csv";
    public static final String SESSIONS = "sessions.csv";
    public static final String EVENT_COUNTS = "event_counts.csv";
    public static final String DRAIN = "drain.json";
    public static final String SUMMARY = "summary.json";

    private ProcessedFiles() {}

    /**
     * One line for the log from a {@value #SUMMARY}'s entries: lines, malformed, events, sessions.
     */
    public static String describe(Map<String, Object> summary) {
        return summary.get("lines")
                + " lines ("
                + summary.get("malformed")
                + " not matching the log format), "
                + summary.get("events")
                + " events, "
                + summary.getOrDefault("sessions", 0)
                + " sessions";
    }

    /** The header of {@value #STRUCTURED}: the line id, the format's fields, the event. */
    public static String structuredHeader(LogFormat format) {
        StringBuilder sb = new StringBuilder("LineId");
        for (String f : format.fields()) {
            sb.append(',').append(f);
        }
        return sb.append(",EventId\n").toString();
    }

    /** One row of {@value #STRUCTURED} without its event: the line id and the quoted fields. */
    public static void appendStructuredPrefix(StringBuilder sb, long lineId, String[] fields) {
        sb.append(lineId);
        appendStructuredFields(sb, fields);
    }

    /** The fields of a {@value #STRUCTURED} row, each after a comma. */
    public static void appendStructuredFields(StringBuilder sb, String[] fields) {
        for (String field : fields) {
            sb.append(',');
            CsvText.append(sb, field);
        }
    }

    /** {@value #TEMPLATES}: every event but the unknown one, with how many lines it labelled. */
    public static void writeTemplates(Writer w, List<String> events, long[] occurrences)
            throws IOException {
        w.write("EventId,EventTemplate,Occurrences\n");
        for (int e = 1; e < events.size(); e++) {
            StringBuilder sb = new StringBuilder("E").append(e).append(',');
            CsvText.append(sb, events.get(e));
            sb.append(',').append(e < occurrences.length ? occurrences[e] : 0).append('\n');
            w.write(sb.toString());
        }
    }

    /**
     * {@code id,label} rows (a header row is skipped); labels Anomaly/Normal, 1/0, true/false.
     *
     * @throws JobFailure naming the line of a row that is not a label
     */
    public static Map<String, Integer> readLabels(BufferedReader r, String name)
            throws IOException {
        Map<String, Integer> out = new HashMap<>();
        CsvRecordReader reader = new CsvRecordReader(r);
        String[] rec;
        boolean first = true;
        while ((rec = reader.next()) != null) {
            if (rec.length < 2) {
                throw new JobFailure(
                        name + " line " + reader.recordLine() + ": expected 'id,label'");
            }
            Integer v = label(rec[1]);
            if (v == null) {
                if (first) {
                    first = false;
                    continue;
                }
                throw new JobFailure(
                        name
                                + " line "
                                + reader.recordLine()
                                + ": label '"
                                + rec[1]
                                + "' is not Anomaly/Normal, 1/0 or true/false");
            }
            first = false;
            out.put(rec[0].strip(), v);
        }
        return out;
    }

    private static Integer label(String text) {
        switch (text.strip().toLowerCase(Locale.ROOT)) {
            case "anomaly", "abnormal", "1", "true", "yes":
                return 1;
            case "normal", "0", "false", "no":
                return 0;
            default:
                return null;
        }
    }

    /**
     * Writes {@value #SESSIONS} and {@value #EVENT_COUNTS} side by side, one session at a time, and
     * counts what it wrote for the summary.
     */
    public static final class SessionWriter {
        private final Writer sequences;
        private final Writer counts;
        private final int events;
        private final Map<String, Integer> labels;
        private long sessions;
        private long labelled;
        private long anomalies;

        /**
         * @param events the number of known events (ids 1..events; 0 is the unknown event)
         * @param labels session labels, or {@code null} for files without a Label column
         */
        public SessionWriter(
                Writer sequences, Writer counts, int events, Map<String, Integer> labels)
                throws IOException {
            this.sequences = sequences;
            this.counts = counts;
            this.events = events;
            this.labels = labels;
            sequences.write(
                    labels != null
                            ? "SessionId,Label,Length,EventSequence\n"
                            : "SessionId,Length,EventSequence\n");
            StringBuilder head =
                    new StringBuilder(labels != null ? "SessionId,Label" : "SessionId");
            for (int e = 0; e <= events; e++) {
                head.append(",E").append(e);
            }
            counts.write(head.append('\n').toString());
        }

        /** One session: its id and its events in line order. */
        public void write(String key, int[] eventIds) throws IOException {
            sessions++;
            String label = "";
            if (labels != null) {
                Integer l = labels.get(key);
                if (l != null) {
                    label = l.toString();
                    labelled++;
                    anomalies += l;
                }
            }
            long[] c = new long[events + 1];
            StringBuilder s = new StringBuilder();
            CsvText.append(s, key);
            if (labels != null) {
                s.append(',').append(label);
            }
            s.append(',').append(eventIds.length).append(',');
            for (int i = 0; i < eventIds.length; i++) {
                c[eventIds[i]]++;
                if (i > 0) {
                    s.append(' ');
                }
                s.append('E').append(eventIds[i]);
            }
            sequences.write(s.append('\n').toString());
            StringBuilder row = new StringBuilder();
            CsvText.append(row, key);
            if (labels != null) {
                row.append(',').append(label);
            }
            for (long v : c) {
                row.append(',').append(v);
            }
            counts.write(row.append('\n').toString());
        }

        /** The summary entries of the sessions written so far. */
        public void addTo(Map<String, Object> summary, long linesWithoutSession) {
            summary.put("sessions", sessions);
            summary.put("lines_without_session", linesWithoutSession);
            if (labels != null) {
                summary.put("sessions_labelled", labelled);
                summary.put("sessions_unlabelled", sessions - labelled);
                summary.put("anomalous_sessions", anomalies);
            }
        }
    }
}
