package dev.byoe.serve.codec;

import dev.byoe.core.data.FeatureBatch;
import dev.byoe.core.data.FeatureSchema;
import dev.byoe.core.data.Target;
import dev.byoe.model.EnsembleModel;
import dev.byoe.model.anomaly.LogAnomalyModel;
import dev.byoe.model.anomaly.SessionBatch;
import java.util.List;

/**
 * {@code application/json} (documents; several in a row, as batch transform joins records) or
 * {@code application/jsonlines} (one row or session per line).
 */
final class JsonFormat implements Format {
    private final boolean lines;
    private final JsonRequestDecoder rows;

    JsonFormat(boolean lines) {
        this.lines = lines;
        this.rows = new JsonRequestDecoder(lines);
    }

    @Override
    public String mediaType() {
        return lines ? "application/jsonlines" : "application/json";
    }

    @Override
    public List<String> names() {
        return lines
                ? List.of(
                        "application/jsonlines",
                        "application/x-jsonlines",
                        "application/jsonl",
                        "application/x-ndjson",
                        "application/ndjson")
                : List.of("application/json");
    }

    /** A tree takes several times its text: a node and its slot per value. */
    @Override
    public int workingMemoryPerByte() {
        return 8;
    }

    @Override
    public FeatureBatch decodeRows(byte[] body, FeatureSchema schema) {
        return rows.decode(body, schema);
    }

    @Override
    public byte[] encodeRows(EnsembleModel.Prediction prediction, Target target, boolean members) {
        return ResponseEncoder.json(prediction, target, members, lines);
    }

    @Override
    public SessionBatch decodeSessions(byte[] body, boolean orderFree) {
        return lines
                ? SessionRequestDecoder.jsonLines(body, orderFree)
                : SessionRequestDecoder.json(body, orderFree);
    }

    @Override
    public byte[] encodeSessions(LogAnomalyModel.Result result) {
        return SessionResponseEncoder.json(result, lines);
    }

    @Override
    public String toString() {
        return mediaType();
    }
}
