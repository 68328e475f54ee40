package dev.byoe.serve.codec;

import dev.byoe.core.data.Target;
import dev.byoe.model.EnsembleModel;
import dev.byoe.model.anomaly.LogAnomalyModel;
import dev.byoe.model.anomaly.SessionBatch;

/**
 * A request format byoe reads but does not write (libsvm, Parquet): it carries feature rows only,
 * and its answers go out as CSV unless Accept names another format.
 */
abstract class ReadOnlyRowFormat implements Format {
    @Override
    public Format answerFormat() {
        return Formats.CSV;
    }

    @Override
    public byte[] encodeRows(EnsembleModel.Prediction prediction, Target target, boolean members) {
        return Formats.CSV.encodeRows(prediction, target, members);
    }

    @Override
    public SessionBatch decodeSessions(byte[] body, boolean orderFree) {
        throw NumericRequests.notForSessions(mediaType());
    }

    @Override
    public byte[] encodeSessions(LogAnomalyModel.Result result) {
        return Formats.CSV.encodeSessions(result);
    }

    @Override
    public String toString() {
        return mediaType();
    }
}
