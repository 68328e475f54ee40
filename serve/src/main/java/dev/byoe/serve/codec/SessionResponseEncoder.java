package dev.byoe.serve.codec;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.byoe.ensemble.anomaly.AnomalyScores;
import dev.byoe.ensemble.anomaly.LogAnomalyModel;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * Writes a log-anomaly answer per session: id, label, score and threshold (those of the member
 * when there is one; with several, the share of members that call it anomalous, against 0), and
 * each member's own score, threshold and label. CSV rows are {@code id,label,score,threshold}.
 */
public final class SessionResponseEncoder {
    private static final ObjectMapper JSON = new ObjectMapper();

    private SessionResponseEncoder() {
    }

    public static byte[] encode(Format format, LogAnomalyModel.Result r) {
        return switch (format) {
            case CSV -> csv(r);
            case JSON -> json(r, false);
            case JSON_LINES -> json(r, true);
        };
    }

    private static double score(LogAnomalyModel.Result r, int i) {
        if (r.members().size() == 1) {
            return r.members().getFirst().scores().scores()[i];
        }
        int flagged = 0;
        for (LogAnomalyModel.MemberScores m : r.members()) {
            flagged += m.scores().anomalous(i) ? 1 : 0;
        }
        return (double) flagged / r.members().size();
    }

    private static double threshold(LogAnomalyModel.Result r) {
        return r.members().size() == 1 ? r.members().getFirst().scores().threshold() : 0;
    }

    private static byte[] csv(LogAnomalyModel.Result r) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < r.labels().length; i++) {
            String id = r.sessions().ids().get(i);
            sb.append(id.contains(",") || id.contains("\"") ? '"' + id.replace("\"", "\"\"") + '"' : id)
                    .append(',').append(r.labels()[i])
                    .append(',').append(score(r, i))
                    .append(',').append(threshold(r)).append('\n');
        }
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] json(LogAnomalyModel.Result r, boolean lines) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator g = JSON.createGenerator(out)) {
            if (!lines) {
                g.writeStartObject();
                g.writeArrayFieldStart("predictions");
            }
            for (int i = 0; i < r.labels().length; i++) {
                g.writeStartObject();
                g.writeStringField("id", r.sessions().ids().get(i));
                g.writeNumberField("label", r.labels()[i]);
                g.writeBooleanField("anomalous", r.labels()[i] == 1);
                g.writeNumberField("score", score(r, i));
                g.writeNumberField("threshold", threshold(r));
                g.writeNumberField("events", r.sessions().events()[i].length);
                g.writeObjectFieldStart("members");
                for (LogAnomalyModel.MemberScores m : r.members()) {
                    AnomalyScores s = m.scores();
                    g.writeObjectFieldStart(m.name());
                    g.writeNumberField("score", s.scores()[i]);
                    g.writeNumberField("threshold", s.threshold());
                    g.writeNumberField("label", s.anomalous(i) ? 1 : 0);
                    g.writeEndObject();
                }
                g.writeEndObject();
                g.writeEndObject();
                if (lines) {
                    g.flush();
                    out.write('\n');
                }
            }
            if (!lines) {
                g.writeEndArray();
                g.writeEndObject();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
