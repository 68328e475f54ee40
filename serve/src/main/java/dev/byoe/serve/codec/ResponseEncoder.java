package dev.byoe.serve.codec;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.byoe.core.data.CsvText;
import dev.byoe.core.data.Objective;
import dev.byoe.core.data.Predictions;
import dev.byoe.core.data.Target;
import dev.byoe.model.EnsembleModel;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * Writes predictions in the requested format, one answer per input row, in input order.
 *
 * <ul>
 *   <li>{@code text/csv}: regression {@code value}; binary {@code P(positive)}; multiclass {@code
 *       label,p_0,...,p_k-1}. With members: each member's value(s) follow, in manifest order.
 *   <li>{@code application/json}: {@code
 *       {"predictions":[{"score":..,"label":..,"probabilities":[..], "members":{name: value}}]}};
 *       label for classifiers, probabilities for multiclass.
 *   <li>{@code application/jsonlines}: the same objects, one per line.
 * </ul>
 */
final class ResponseEncoder {
    private static final JsonFactory JSON = new JsonFactory();

    private ResponseEncoder() {}

    static byte[] csv(EnsembleModel.Prediction prediction, Target target, boolean members) {
        Predictions p = prediction.ensemble();
        StringBuilder sb = new StringBuilder(p.rows() * 24);
        for (int r = 0; r < p.rows(); r++) {
            if (target.objective() == Objective.MULTICLASS) {
                sb.append(CsvText.field(target.classes().get(p.argmax(r))));
                appendRow(sb, p, r, true);
            } else {
                sb.append(p.get(r, 0));
            }
            if (members) {
                for (Predictions m : prediction.members().values()) {
                    appendRow(sb, m, r, true);
                }
            }
            sb.append('\n');
        }
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void appendRow(StringBuilder sb, Predictions p, int r, boolean leadingComma) {
        for (int c = 0; c < p.width(); c++) {
            if (leadingComma || c > 0) {
                sb.append(',');
            }
            sb.append(p.get(r, c));
        }
    }

    static byte[] json(
            EnsembleModel.Prediction prediction, Target target, boolean members, boolean lines) {
        return jsonAnswers(
                prediction.ensemble().rows(),
                lines,
                (g, r) -> writeRow(g, prediction, target, members, r));
    }

    /** Writes one answer object. */
    interface JsonAnswer {
        void write(JsonGenerator g, int index) throws IOException;
    }

    /**
     * {@code count} answer objects as {@code {"predictions": [...]}}, or with {@code lines} one per
     * line (JSON Lines).
     */
    static byte[] jsonAnswers(int count, boolean lines, JsonAnswer answer) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 + count * 48);
        try (JsonGenerator g = JSON.createGenerator(bytes)) {
            // JSON Lines: one object per line, no separator before the next root value.
            g.setRootValueSeparator(null);
            if (!lines) {
                g.writeStartObject();
                g.writeArrayFieldStart("predictions");
            }
            for (int i = 0; i < count; i++) {
                answer.write(g, i);
                if (lines) {
                    g.flush();
                    bytes.write('\n');
                }
            }
            if (!lines) {
                g.writeEndArray();
                g.writeEndObject();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static void writeRow(
            JsonGenerator g,
            EnsembleModel.Prediction prediction,
            Target target,
            boolean members,
            int r)
            throws IOException {
        Predictions p = prediction.ensemble();
        List<String> classes = target.classes();
        g.writeStartObject();
        switch (target.objective()) {
            case REGRESSION -> g.writeNumberField("score", p.get(r, 0));
            case BINARY -> {
                g.writeNumberField("score", p.get(r, 0));
                g.writeStringField("label", classes.get(p.get(r, 0) >= 0.5 ? 1 : 0));
            }
            case MULTICLASS -> {
                int best = p.argmax(r);
                g.writeNumberField("score", p.get(r, best));
                g.writeStringField("label", classes.get(best));
                g.writeFieldName("probabilities");
                writeValues(g, p, r, true);
            }
        }
        if (members) {
            g.writeObjectFieldStart("members");
            for (Map.Entry<String, Predictions> m : prediction.members().entrySet()) {
                g.writeFieldName(m.getKey());
                writeValues(g, m.getValue(), r, target.objective() == Objective.MULTICLASS);
            }
            g.writeEndObject();
        }
        g.writeEndObject();
    }

    private static void writeValues(JsonGenerator g, Predictions p, int r, boolean asArray)
            throws IOException {
        if (!asArray) {
            g.writeNumber(p.get(r, 0));
            return;
        }
        g.writeStartArray();
        for (int c = 0; c < p.width(); c++) {
            g.writeNumber(p.get(r, c));
        }
        g.writeEndArray();
    }
}
