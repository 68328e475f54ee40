package dev.byoe.serve.codec;

import dev.byoe.core.data.FeatureBatch;
import dev.byoe.core.data.FeatureSchema;
import dev.byoe.core.data.Target;
import dev.byoe.model.EnsembleModel;
import dev.byoe.model.anomaly.LogAnomalyModel;
import dev.byoe.model.anomaly.SessionBatch;
import java.util.List;

/**
 * A body format: the media types it goes by, how a request in it becomes rows (tabular models) or
 * sessions (log models), and how answers are written in it. Problems with a body are {@link
 * RequestProblem}s naming the row, column or line; the HTTP layer turns them into statuses.
 */
public interface Format {
    /** The canonical media type, written in responses. */
    String mediaType();

    /** Every media type (essence, lower case) a request may name it by. */
    List<String> names();

    /**
     * Bytes of working memory per body byte while a request in this format is decoded and scored:
     * admission control holds requests back by this estimate.
     */
    int workingMemoryPerByte();

    /**
     * The format answers take when a request came in this one and its Accept leaves the choice
     * open. A format that is only read (libsvm) names another; it cannot be chosen by Accept.
     */
    default Format answerFormat() {
        return this;
    }

    /** Text formats get their charset turned into UTF-8 before decoding; binary ones do not. */
    default boolean isText() {
        return true;
    }

    FeatureBatch decodeRows(byte[] body, FeatureSchema schema);

    byte[] encodeRows(EnsembleModel.Prediction prediction, Target target, boolean members);

    /** Sessions; {@code orderFree} when no member needs event order (counts are then accepted). */
    SessionBatch decodeSessions(byte[] body, boolean orderFree);

    byte[] encodeSessions(LogAnomalyModel.Result result);
}
