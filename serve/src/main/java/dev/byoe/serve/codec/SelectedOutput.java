package dev.byoe.serve.codec;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.byoe.core.data.CsvText;
import dev.byoe.core.data.FeatureBatch;
import dev.byoe.core.data.FeatureSchema;
import dev.byoe.core.data.Objective;
import dev.byoe.core.data.Predictions;
import dev.byoe.core.data.Target;
import dev.byoe.formats.recordio.RecordIoWriter;
import dev.byoe.formats.recordio.RecordRows;
import dev.byoe.model.EnsembleModel;
import dev.byoe.model.anomaly.LogAnomalyModel;
import dev.byoe.model.anomaly.SessionBatch;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * {@code SAGEMAKER_INFERENCE_OUTPUT}: the answer keys an inference pipeline selects, as SageMaker's
 * built-in containers define them, written in the order given. Classifiers: {@code predicted_label}
 * (the class), {@code labels} (every class), {@code probability} (of the predicted class for
 * multiclass, of the positive class for binary), {@code probabilities}, and {@code
 * raw_score}/{@code raw_scores}, which for byoe's ensembles are the probabilities again (its
 * members average probabilities, not margins). Regression: {@code predicted_score}. Log models:
 * {@code predicted_label} (1 anomalous, 0 normal), {@code labels}, {@code probability} and {@code
 * predicted_score} (both the probability of an anomaly) and {@code probabilities}.
 *
 * <p>CSV writes a row per answer with a field per key, a list as a JSON array in one field; JSON
 * and JSON Lines write an object per answer; RecordIO-protobuf writes each key as a float tensor in
 * the record's label, a class as its index in {@code labels}.
 */
public final class SelectedOutput {
    /** The keys, by their SageMaker names. */
    public enum Key {
        PREDICTED_LABEL,
        LABELS,
        PROBABILITY,
        PROBABILITIES,
        RAW_SCORE,
        RAW_SCORES,
        PREDICTED_SCORE;

        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private static final Set<Key> CLASSIFIER =
            EnumSet.of(
                    Key.PREDICTED_LABEL,
                    Key.LABELS,
                    Key.PROBABILITY,
                    Key.PROBABILITIES,
                    Key.RAW_SCORE,
                    Key.RAW_SCORES);
    private static final Set<Key> REGRESSION = EnumSet.of(Key.PREDICTED_SCORE);
    private static final Set<Key> LOG_MODEL =
            EnumSet.of(
                    Key.PREDICTED_LABEL,
                    Key.LABELS,
                    Key.PROBABILITY,
                    Key.PROBABILITIES,
                    Key.PREDICTED_SCORE);
    private static final JsonFactory JSON = new JsonFactory();

    private final List<Key> keys;

    private SelectedOutput(List<Key> keys) {
        this.keys = List.copyOf(keys);
    }

    /**
     * The keys in {@code value} (comma-separated, any case, spaces ignored).
     *
     * @throws IllegalArgumentException naming an unknown or repeated key
     */
    public static SelectedOutput parse(String value) {
        List<Key> keys = new ArrayList<>();
        for (String part : value.replace(" ", "").toLowerCase(Locale.ROOT).split(",")) {
            Key key = null;
            for (Key k : Key.values()) {
                if (k.id().equals(part)) {
                    key = k;
                }
            }
            if (key == null || keys.contains(key)) {
                throw new IllegalArgumentException(
                        "SAGEMAKER_INFERENCE_OUTPUT="
                                + value
                                + ": '"
                                + part
                                + "' is "
                                + (key == null ? "not a key" : "repeated")
                                + "; keys are "
                                + String.join(
                                        ", ",
                                        java.util.Arrays.stream(Key.values())
                                                .map(Key::id)
                                                .toList()));
            }
            keys.add(key);
        }
        return new SelectedOutput(keys);
    }

    public List<Key> keys() {
        return keys;
    }

    /**
     * Why these keys do not fit a model ({@code objective} null for a log model), or {@code null}
     * when they do.
     */
    public String problem(Objective objective) {
        Set<Key> allowed =
                objective == null
                        ? LOG_MODEL
                        : objective == Objective.REGRESSION ? REGRESSION : CLASSIFIER;
        for (Key k : keys) {
            if (!allowed.contains(k)) {
                return "SAGEMAKER_INFERENCE_OUTPUT asks for '"
                        + k.id()
                        + "', which "
                        + (objective == null ? "a log model" : "objective=" + objective.id())
                        + " does not answer; it answers "
                        + allowed.stream().map(Key::id).toList();
            }
        }
        return null;
    }

    /** {@code output} writing these keys instead of its own answer. */
    public Format in(Format output) {
        return new Selecting(output);
    }

    /** A value of one key for one answer: a number, a class (name and index), or a list. */
    private sealed interface Cell permits Number, ClassCell, Many {}

    private record Number(double value) implements Cell {}

    private record ClassCell(String name, int index) implements Cell {}

    private record Many(List<Cell> cells) implements Cell {}

    private List<Map<Key, Cell>> rows(EnsembleModel.Prediction prediction, Target target) {
        String problem = problem(target.objective());
        if (problem != null) {
            throw new IllegalStateException(problem);
        }
        Predictions p = prediction.ensemble();
        List<String> classes = target.classes();
        List<Map<Key, Cell>> out = new ArrayList<>(p.rows());
        for (int r = 0; r < p.rows(); r++) {
            Map<Key, Cell> row = new LinkedHashMap<>();
            if (target.objective() == Objective.REGRESSION) {
                row.put(Key.PREDICTED_SCORE, new Number(p.get(r, 0)));
                out.add(row);
                continue;
            }
            List<Cell> probabilities = new ArrayList<>();
            int predicted;
            double probability;
            if (target.objective() == Objective.BINARY) {
                double positive = p.get(r, 0);
                probabilities.add(new Number(1 - positive));
                probabilities.add(new Number(positive));
                predicted = positive >= 0.5 ? 1 : 0;
                probability = positive;
            } else {
                for (int c = 0; c < p.width(); c++) {
                    probabilities.add(new Number(p.get(r, c)));
                }
                predicted = p.argmax(r);
                probability = p.get(r, predicted);
            }
            List<Cell> labels = new ArrayList<>();
            for (int c = 0; c < classes.size(); c++) {
                labels.add(new ClassCell(classes.get(c), c));
            }
            row.put(Key.PREDICTED_LABEL, new ClassCell(classes.get(predicted), predicted));
            row.put(Key.LABELS, new Many(labels));
            row.put(Key.PROBABILITY, new Number(probability));
            row.put(Key.PROBABILITIES, new Many(probabilities));
            row.put(Key.RAW_SCORE, new Number(probability));
            row.put(Key.RAW_SCORES, new Many(probabilities));
            out.add(row);
        }
        return out;
    }

    private List<Map<Key, Cell>> rows(LogAnomalyModel.Result result) {
        String problem = problem(null);
        if (problem != null) {
            throw new IllegalStateException(problem);
        }
        List<Map<Key, Cell>> out = new ArrayList<>();
        List<Cell> labels = List.of(new ClassCell("0", 0), new ClassCell("1", 1));
        for (int i = 0; i < result.labels().length; i++) {
            double p = result.probabilities()[i];
            Map<Key, Cell> row = new LinkedHashMap<>();
            int label = result.labels()[i];
            row.put(Key.PREDICTED_LABEL, new ClassCell(Integer.toString(label), label));
            row.put(Key.LABELS, new Many(labels));
            row.put(Key.PROBABILITY, new Number(p));
            row.put(Key.PROBABILITIES, new Many(List.of(new Number(1 - p), new Number(p))));
            row.put(Key.PREDICTED_SCORE, new Number(p));
            out.add(row);
        }
        return out;
    }

    private byte[] write(Format output, List<Map<Key, Cell>> rows) {
        String type = output.mediaType();
        try {
            if (type.equals(Formats.RECORDIO_PROTOBUF.mediaType())) {
                return recordIo(rows);
            }
            if (type.equals(Formats.CSV.mediaType())) {
                return csv(rows);
            }
            return json(rows, type.equals(Formats.JSON_LINES.mediaType()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private byte[] csv(List<Map<Key, Cell>> rows) throws IOException {
        StringBuilder sb = new StringBuilder(rows.size() * 16);
        for (Map<Key, Cell> row : rows) {
            for (int k = 0; k < keys.size(); k++) {
                if (k > 0) {
                    sb.append(',');
                }
                Cell cell = row.get(keys.get(k));
                switch (cell) {
                    case Number n -> sb.append(n.value());
                    case ClassCell c -> sb.append(CsvText.field(c.name()));
                    case Many m -> sb.append(CsvText.field(jsonText(m)));
                }
            }
            sb.append('\n');
        }
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static String jsonText(Cell cell) throws IOException {
        StringWriter text = new StringWriter();
        try (JsonGenerator g = JSON.createGenerator(text)) {
            writeJson(g, cell);
        }
        return text.toString();
    }

    private static void writeJson(JsonGenerator g, Cell cell) throws IOException {
        switch (cell) {
            case Number n -> g.writeNumber(n.value());
            case ClassCell c -> g.writeString(c.name());
            case Many m -> {
                g.writeStartArray();
                for (Cell each : m.cells()) {
                    writeJson(g, each);
                }
                g.writeEndArray();
            }
        }
    }

    private byte[] json(List<Map<Key, Cell>> rows, boolean lines) {
        return ResponseEncoder.jsonAnswers(
                rows.size(),
                lines,
                (g, r) -> {
                    g.writeStartObject();
                    for (Key k : keys) {
                        g.writeFieldName(k.id());
                        writeJson(g, rows.get(r).get(k));
                    }
                    g.writeEndObject();
                });
    }

    private byte[] recordIo(List<Map<Key, Cell>> rows) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(rows.size() * 32);
        RecordIoWriter out = new RecordIoWriter(bytes);
        for (Map<Key, Cell> row : rows) {
            Map<String, float[]> label = new LinkedHashMap<>();
            for (Key k : keys) {
                label.put(k.id(), floats(row.get(k)));
            }
            out.write(RecordRows.answer(label));
        }
        return bytes.toByteArray();
    }

    private static float[] floats(Cell cell) {
        return switch (cell) {
            case Number n -> new float[] {(float) n.value()};
            case ClassCell c -> new float[] {c.index()};
            case Many m -> {
                float[] out = new float[m.cells().size()];
                for (int i = 0; i < out.length; i++) {
                    out[i] = floats(m.cells().get(i))[0];
                }
                yield out;
            }
        };
    }

    /** A format whose answers are the selected keys; requests are read as the format reads them. */
    private final class Selecting implements Format {
        private final Format output;

        Selecting(Format output) {
            this.output = output;
        }

        @Override
        public String mediaType() {
            return output.mediaType();
        }

        @Override
        public List<String> names() {
            return output.names();
        }

        @Override
        public int workingMemoryPerByte() {
            return output.workingMemoryPerByte();
        }

        @Override
        public boolean isText() {
            return output.isText();
        }

        @Override
        public FeatureBatch decodeRows(byte[] body, FeatureSchema schema) {
            return output.decodeRows(body, schema);
        }

        @Override
        public byte[] encodeRows(
                EnsembleModel.Prediction prediction, Target target, boolean members) {
            return write(output, rows(prediction, target));
        }

        @Override
        public SessionBatch decodeSessions(byte[] body, boolean orderFree) {
            return output.decodeSessions(body, orderFree);
        }

        @Override
        public byte[] encodeSessions(LogAnomalyModel.Result result) {
            return write(output, rows(result));
        }

        @Override
        public String toString() {
            return output + " (" + keys.stream().map(Key::id).toList() + ")";
        }
    }
}
