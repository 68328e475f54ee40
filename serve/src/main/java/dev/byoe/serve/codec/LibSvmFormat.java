package dev.byoe.serve.codec;

import dev.byoe.core.data.FeatureBatch;
import dev.byoe.core.data.FeatureSchema;
import dev.byoe.core.data.Target;
import dev.byoe.formats.FormatProblem;
import dev.byoe.formats.libsvm.LibSvmLine;
import dev.byoe.model.EnsembleModel;
import dev.byoe.model.anomaly.LogAnomalyModel;
import dev.byoe.model.anomaly.SessionBatch;
import java.util.List;

/**
 * {@code text/libsvm} requests: a row per line, {@code [label] index:value ...}, a label being
 * ignored; an absent index is 0, indices count from the model's base (the training data's, 1 when
 * it was not libsvm). Only read: answers go out as CSV unless Accept asks for another format.
 */
final class LibSvmFormat implements Format {
    @Override
    public String mediaType() {
        return "text/libsvm";
    }

    @Override
    public List<String> names() {
        return List.of("text/libsvm", "text/x-libsvm", "application/x-libsvm");
    }

    @Override
    public int workingMemoryPerByte() {
        return 4;
    }

    @Override
    public Format answerFormat() {
        return Formats.CSV;
    }

    @Override
    public FeatureBatch decodeRows(byte[] body, FeatureSchema schema) {
        NumericRequests.requireNumeric(schema, mediaType());
        String text = RequestDecoder.utf8(body);
        RowBuilder rows = new RowBuilder(schema, 16);
        int lineNumber = 0;
        for (String line : text.split("\r?\n", -1)) {
            lineNumber++;
            String where = "line " + lineNumber;
            try {
                LibSvmLine parsed = LibSvmLine.parse(line, where, false);
                if (parsed != null) {
                    NumericRequests.add(
                            rows, parsed.row(schema.sparseIndexBase(), where), schema, where);
                }
            } catch (FormatProblem e) {
                throw RequestProblem.malformed(e.getMessage());
            }
        }
        return rows.build();
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
