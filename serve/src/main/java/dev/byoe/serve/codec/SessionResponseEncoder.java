package dev.byoe.serve.codec;

import dev.byoe.core.data.CsvText;
import dev.byoe.model.anomaly.LogAnomalyModel;
import java.nio.charset.StandardCharsets;

/**
 * Writes a log-anomaly answer per session: id, label, the averaged probability of anomaly and the
 * decision threshold, and for each member its raw score, calibrated probability, own threshold and
 * label. CSV rows are {@code id,label,probability}.
 */
final class SessionResponseEncoder {

    private SessionResponseEncoder() {}

    static byte[] csv(LogAnomalyModel.Result r) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < r.labels().length; i++) {
            String id = r.sessions().ids().get(i);
            sb.append(CsvText.field(id))
                    .append(',')
                    .append(r.labels()[i])
                    .append(',')
                    .append(r.probabilities()[i])
                    .append('\n');
        }
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    static byte[] json(LogAnomalyModel.Result r, boolean lines) {
        return ResponseEncoder.jsonAnswers(
                r.labels().length,
                lines,
                (g, i) -> {
                    g.writeStartObject();
                    g.writeStringField("id", r.sessions().ids().get(i));
                    g.writeNumberField("label", r.labels()[i]);
                    g.writeBooleanField("anomalous", r.labels()[i] == 1);
                    g.writeNumberField("probability", r.probabilities()[i]);
                    g.writeNumberField("threshold", r.threshold());
                    g.writeNumberField("events", r.sessions().events()[i].length);
                    g.writeObjectFieldStart("members");
                    for (LogAnomalyModel.MemberScores m : r.members()) {
                        g.writeObjectFieldStart(m.name());
                        g.writeNumberField("score", m.scores().scores()[i]);
                        g.writeNumberField("probability", m.probabilities()[i]);
                        g.writeNumberField("threshold", m.threshold());
                        g.writeNumberField("label", m.probabilities()[i] > m.threshold() ? 1 : 0);
                        g.writeEndObject();
                    }
                    g.writeEndObject();
                    g.writeEndObject();
                });
    }
}
