package dev.byoe.serve.codec;

import dev.byoe.core.data.FeatureBatch;
import dev.byoe.core.data.FeatureSchema;
import dev.byoe.core.data.Target;
import dev.byoe.model.EnsembleModel;
import dev.byoe.model.anomaly.LogAnomalyModel;
import dev.byoe.model.anomaly.SessionBatch;
import java.util.List;

/** {@code text/csv}: rows of features in training order; sessions as {@code [id,]E5 E22 ...}. */
final class CsvFormat implements Format {
    private static final CsvRequestDecoder ROWS = new CsvRequestDecoder();

    @Override
    public String mediaType() {
        return "text/csv";
    }

    @Override
    public List<String> names() {
        return List.of("text/csv", "application/csv", "text/x-csv", "application/x-csv");
    }

    /** The text again plus the decoded cells. */
    @Override
    public int workingMemoryPerByte() {
        return 3;
    }

    @Override
    public FeatureBatch decodeRows(byte[] body, FeatureSchema schema) {
        return ROWS.decode(body, schema);
    }

    @Override
    public byte[] encodeRows(EnsembleModel.Prediction prediction, Target target, boolean members) {
        return ResponseEncoder.csv(prediction, target, members);
    }

    @Override
    public SessionBatch decodeSessions(byte[] body, boolean orderFree) {
        return SessionRequestDecoder.csv(body, orderFree);
    }

    @Override
    public byte[] encodeSessions(LogAnomalyModel.Result result) {
        return SessionResponseEncoder.csv(result);
    }

    @Override
    public String toString() {
        return mediaType();
    }
}
