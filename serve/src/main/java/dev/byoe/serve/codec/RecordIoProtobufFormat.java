package dev.byoe.serve.codec;

import dev.byoe.core.data.FeatureBatch;
import dev.byoe.core.data.FeatureSchema;
import dev.byoe.core.data.Predictions;
import dev.byoe.core.data.Target;
import dev.byoe.formats.RowFormat;
import dev.byoe.formats.recordio.RecordIoWriter;
import dev.byoe.formats.recordio.RecordRows;
import dev.byoe.model.EnsembleModel;
import dev.byoe.model.anomaly.LogAnomalyModel;
import dev.byoe.model.anomaly.SessionBatch;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code application/x-recordio-protobuf}: a row per Record (features in its {@code values} tensor,
 * dense or sparse; a label is ignored), and answers as one Record per row whose label map holds
 * {@code score} (regression: the value; binary: P(positive class); multiclass: the top
 * probability), {@code predicted_label} for classifiers (the class's index in the model's classes),
 * {@code probabilities} for multiclass, and {@code member:<name>} per member when members are asked
 * for. Log models take sessions as text, but can answer in records (see {@link #encodeSessions}).
 */
final class RecordIoProtobufFormat implements Format {
    @Override
    public String mediaType() {
        return RowFormat.RECORDIO_PROTOBUF.contentTypes().getFirst();
    }

    @Override
    public List<String> names() {
        return RowFormat.RECORDIO_PROTOBUF.contentTypes();
    }

    /** The parsed messages and the rows. */
    @Override
    public int workingMemoryPerByte() {
        return 4;
    }

    @Override
    public boolean isText() {
        return false;
    }

    @Override
    public FeatureBatch decodeRows(byte[] body, FeatureSchema schema) {
        return NumericRequests.decode(body, RowFormat.RECORDIO_PROTOBUF, schema);
    }

    @Override
    public byte[] encodeRows(EnsembleModel.Prediction prediction, Target target, boolean members) {
        Predictions p = prediction.ensemble();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(p.rows() * 48);
        RecordIoWriter out = new RecordIoWriter(bytes);
        try {
            for (int r = 0; r < p.rows(); r++) {
                Map<String, float[]> label = new LinkedHashMap<>();
                switch (target.objective()) {
                    case REGRESSION -> label.put("score", new float[] {(float) p.get(r, 0)});
                    case BINARY -> {
                        label.put("score", new float[] {(float) p.get(r, 0)});
                        label.put("predicted_label", new float[] {p.get(r, 0) >= 0.5 ? 1 : 0});
                    }
                    case MULTICLASS -> {
                        int best = p.argmax(r);
                        label.put("score", new float[] {(float) p.get(r, best)});
                        label.put("predicted_label", new float[] {best});
                        label.put("probabilities", row(p, r));
                    }
                }
                if (members) {
                    for (Map.Entry<String, Predictions> m : prediction.members().entrySet()) {
                        label.put("member:" + m.getKey(), row(m.getValue(), r));
                    }
                }
                out.write(RecordRows.answer(label));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static float[] row(Predictions p, int r) {
        float[] out = new float[p.width()];
        for (int c = 0; c < out.length; c++) {
            out[c] = (float) p.get(r, c);
        }
        return out;
    }

    @Override
    public SessionBatch decodeSessions(byte[] body, boolean orderFree) {
        throw NumericRequests.notForSessions(mediaType());
    }

    /**
     * A record per session, its id as the record's {@code uid}, and in its label {@code label} (1
     * anomalous, 0 normal) and {@code probability} (of an anomaly).
     */
    @Override
    public byte[] encodeSessions(LogAnomalyModel.Result result) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(result.labels().length * 48);
        RecordIoWriter out = new RecordIoWriter(bytes);
        try {
            for (int i = 0; i < result.labels().length; i++) {
                Map<String, float[]> label = new LinkedHashMap<>();
                label.put("label", new float[] {result.labels()[i]});
                label.put("probability", new float[] {(float) result.probabilities()[i]});
                out.write(RecordRows.answer(result.sessions().ids().get(i), label));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    @Override
    public String toString() {
        return mediaType();
    }
}
