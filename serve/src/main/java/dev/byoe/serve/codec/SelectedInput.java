package dev.byoe.serve.codec;

import dev.byoe.core.data.Feature;
import dev.byoe.core.data.FeatureBatch;
import dev.byoe.core.data.FeatureKind;
import dev.byoe.core.data.FeatureSchema;
import dev.byoe.core.data.Target;
import dev.byoe.model.EnsembleModel;
import dev.byoe.model.anomaly.LogAnomalyModel;
import dev.byoe.model.anomaly.SessionBatch;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * {@code SAGEMAKER_INFERENCE_INPUT}: what each CSV row from the previous container of an inference
 * pipeline holds, a key per field, in order. The SageMaker SDK sets it on a container to the
 * previous container's {@code SAGEMAKER_INFERENCE_OUTPUT}. For byoe the keys name its features, so
 * a preprocessing container may send them in any order, with fields of its own (ids) between them,
 * which are read and left out. Keys that are answers ({@code predicted_label}, {@code probability},
 * ...) mean byoe was placed after a model rather than after a feature transform; that, or a feature
 * missing from the keys, stops the server at start with the reason.
 */
public final class SelectedInput {
    private final List<String> keys;

    private SelectedInput(List<String> keys) {
        this.keys = List.copyOf(keys);
    }

    /**
     * The keys in {@code value}: comma-separated, spaces around them ignored.
     *
     * @throws IllegalArgumentException naming an empty or repeated key
     */
    public static SelectedInput parse(String value) {
        List<String> keys = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (String part : value.split(",", -1)) {
            String key = part.strip();
            if (key.isEmpty() || !seen.add(key)) {
                throw new IllegalArgumentException(
                        "SAGEMAKER_INFERENCE_INPUT="
                                + value
                                + ": "
                                + (key.isEmpty() ? "an empty key" : "'" + key + "' is repeated")
                                + "; give the fields of each CSV row, comma-separated");
            }
            keys.add(key);
        }
        return new SelectedInput(keys);
    }

    public List<String> keys() {
        return keys;
    }

    /**
     * Why these keys cannot feed a model with {@code schema} ({@code null} for a log model), or
     * {@code null} when they can.
     */
    public String problem(FeatureSchema schema) {
        List<String> answers = new ArrayList<>();
        for (String key : keys) {
            for (SelectedOutput.Key k : SelectedOutput.Key.values()) {
                if (k.id().equals(key.toLowerCase(Locale.ROOT))
                        && (schema == null || schema.indexOf(key) < 0)) {
                    answers.add(key);
                }
            }
        }
        if (!answers.isEmpty()) {
            return "SAGEMAKER_INFERENCE_INPUT="
                    + String.join(",", keys)
                    + " names answers "
                    + answers
                    + ": the previous container is a model, but byoe reads features; place byoe"
                    + " after the feature transform";
        }
        if (schema == null) {
            return "SAGEMAKER_INFERENCE_INPUT is set, but a log model reads sessions, not named"
                    + " feature columns";
        }
        List<String> missing = new ArrayList<>(schema.names());
        missing.removeAll(keys);
        if (!missing.isEmpty()) {
            return "SAGEMAKER_INFERENCE_INPUT="
                    + String.join(",", keys)
                    + " lacks the model's features "
                    + missing
                    + " (the model reads "
                    + String.join(",", schema.names())
                    + ")";
        }
        return null;
    }

    /** CSV requests read through the keys; other formats name their fields or carry numbers. */
    public Format in(Format input) {
        return input == Formats.CSV ? new Keyed(input) : input;
    }

    /**
     * The schema of a request row: each key a column, a feature's kind where the key is a feature,
     * text (kept, then dropped) where it is not.
     */
    private FeatureSchema wireSchema(FeatureSchema schema) {
        List<Feature> columns = new ArrayList<>(keys.size());
        for (String key : keys) {
            int f = schema.indexOf(key);
            columns.add(
                    new Feature(key, f < 0 ? FeatureKind.CATEGORICAL : schema.feature(f).kind()));
        }
        return new FeatureSchema(columns, schema.sparseIndexBase());
    }

    /** The model's features, in its order, out of rows read in the keys' order. */
    private static FeatureBatch project(FeatureBatch wire, FeatureSchema schema) {
        FeatureSchema from = wire.schema();
        int rows = wire.rows();
        int nn = schema.numericCount();
        int nc = schema.categoricalCount();
        float[] numeric = new float[rows * nn];
        String[] categorical = new String[rows * nc];
        for (int f = 0; f < schema.size(); f++) {
            int source = from.indexOf(schema.feature(f).name());
            int to = schema.slot(f);
            int at = from.slot(source);
            if (schema.feature(f).kind() == FeatureKind.NUMERIC) {
                for (int r = 0; r < rows; r++) {
                    numeric[r * nn + to] = wire.numeric(r, at);
                }
            } else {
                for (int r = 0; r < rows; r++) {
                    categorical[r * nc + to] = wire.categorical(r, at);
                }
            }
        }
        return new FeatureBatch(schema, rows, numeric, categorical);
    }

    private final class Keyed implements Format {
        private final Format input;

        Keyed(Format input) {
            this.input = input;
        }

        @Override
        public String mediaType() {
            return input.mediaType();
        }

        @Override
        public List<String> names() {
            return input.names();
        }

        @Override
        public int workingMemoryPerByte() {
            return input.workingMemoryPerByte();
        }

        @Override
        public Format answerFormat() {
            return input.answerFormat();
        }

        @Override
        public boolean isText() {
            return input.isText();
        }

        @Override
        public FeatureBatch decodeRows(byte[] body, FeatureSchema schema) {
            String problem = problem(schema);
            if (problem != null) {
                // A multi-model endpoint checks each model when it answers; the server's setting,
                // not the request, is wrong.
                throw new IllegalStateException(problem);
            }
            return project(input.decodeRows(body, wireSchema(schema)), schema);
        }

        @Override
        public byte[] encodeRows(
                EnsembleModel.Prediction prediction, Target target, boolean members) {
            return input.encodeRows(prediction, target, members);
        }

        @Override
        public SessionBatch decodeSessions(byte[] body, boolean orderFree) {
            throw new IllegalStateException(problem(null));
        }

        @Override
        public byte[] encodeSessions(LogAnomalyModel.Result result) {
            return input.encodeSessions(result);
        }

        @Override
        public String toString() {
            return input + " keyed by " + String.join(",", keys);
        }
    }

    @Override
    public String toString() {
        return Arrays.toString(keys.toArray());
    }
}
