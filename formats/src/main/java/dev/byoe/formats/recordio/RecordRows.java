package dev.byoe.formats.recordio;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.byoe.formats.FormatProblem;
import dev.byoe.formats.NumericRow;
import dev.byoe.formats.libsvm.LibSvmLine;
import dev.byoe.formats.recordio.proto.SageMakerRecord.Float32Tensor;
import dev.byoe.formats.recordio.proto.SageMakerRecord.Record;
import dev.byoe.formats.recordio.proto.SageMakerRecord.Value;
import java.util.List;
import java.util.Map;

/**
 * A {@code Record} payload as a tabular row and back: the features are the record's {@code values}
 * entry (or its only entry), a dense or sparse tensor of 32-bit floats, 64-bit floats or 32-bit
 * integers; the label is the first value of the label's {@code values} entry.
 */
public final class RecordRows {
    /** The entry name SageMaker's tabular records use for features and labels. */
    public static final String VALUES = "values";

    private RecordRows() {}

    /** The row in {@code payload}; {@code where} names the record in errors. */
    public static NumericRow row(byte[] payload, String where) {
        Record record;
        try {
            record = Record.parseFrom(payload);
        } catch (InvalidProtocolBufferException e) {
            throw new FormatProblem(where + ": not a protobuf Record (" + e.getMessage() + ")");
        }
        Value features = entry(record.getFeaturesMap(), where, "features");
        if (features == null) {
            throw new FormatProblem(
                    where + ": the record has no features (expected an entry named 'values')");
        }
        Tensor t = tensor(features, where + " features");
        String label = null;
        Value labelValue = entry(record.getLabelMap(), where, "label");
        if (labelValue != null) {
            Tensor l = tensor(labelValue, where + " label");
            if (l.values.length != 1) {
                throw new FormatProblem(
                        where + ": the label has " + l.values.length + " values; byoe reads one");
            }
            label = NumericRow.labelText(l.values[0]);
        }
        int[] positions = new int[t.values.length];
        float[] values = new float[t.values.length];
        long size = t.shape >= 0 ? t.shape : t.keys == null ? t.values.length : 0;
        for (int i = 0; i < t.values.length; i++) {
            long position = t.keys == null ? i : t.keys[i];
            if (position > LibSvmLine.MAX_INDEX || (t.shape >= 0 && position >= t.shape)) {
                throw new FormatProblem(
                        where
                                + ": feature key "
                                + position
                                + " is outside the tensor's shape "
                                + (t.shape >= 0 ? t.shape : LibSvmLine.MAX_INDEX));
            }
            if (i > 0 && position <= positions[i - 1]) {
                throw new FormatProblem(
                        where
                                + ": feature keys must increase; "
                                + position
                                + " follows "
                                + positions[i - 1]);
            }
            positions[i] = (int) position;
            values[i] = (float) t.values[i];
            if (!Float.isFinite(values[i]) && !Double.isNaN(t.values[i])) {
                throw new FormatProblem(
                        where
                                + ": feature "
                                + position
                                + " is "
                                + t.values[i]
                                + ", not a finite 32-bit number");
            }
            size = Math.max(size, position + 1);
        }
        return new NumericRow(label, positions, values, (int) size);
    }

    private static Value entry(Map<String, Value> map, String where, String what) {
        if (map.isEmpty()) {
            return null;
        }
        Value v = map.get(VALUES);
        if (v == null && map.size() == 1) {
            v = map.values().iterator().next();
        }
        if (v == null) {
            throw new FormatProblem(
                    where
                            + ": the "
                            + what
                            + " have entries "
                            + map.keySet()
                            + " but none named 'values'");
        }
        return v;
    }

    /** A tensor's values widened to double, its keys ({@code null} when dense) and its shape. */
    private record Tensor(double[] values, long[] keys, long shape) {}

    private static Tensor tensor(Value v, String where) {
        List<Long> keys;
        List<Long> shape;
        double[] values;
        switch (v.getValueCase()) {
            case FLOAT32_TENSOR -> {
                Float32Tensor t = v.getFloat32Tensor();
                values = new double[t.getValuesCount()];
                for (int i = 0; i < values.length; i++) {
                    values[i] = t.getValues(i);
                }
                keys = t.getKeysList();
                shape = t.getShapeList();
            }
            case FLOAT64_TENSOR -> {
                var t = v.getFloat64Tensor();
                values = new double[t.getValuesCount()];
                for (int i = 0; i < values.length; i++) {
                    values[i] = t.getValues(i);
                }
                keys = t.getKeysList();
                shape = t.getShapeList();
            }
            case INT32_TENSOR -> {
                var t = v.getInt32Tensor();
                values = new double[t.getValuesCount()];
                for (int i = 0; i < values.length; i++) {
                    values[i] = t.getValues(i);
                }
                keys = t.getKeysList();
                shape = t.getShapeList();
            }
            default ->
                    throw new FormatProblem(
                            where + " are " + v.getValueCase() + "; byoe reads numeric tensors");
        }
        if (!keys.isEmpty() && keys.size() != values.length) {
            throw new FormatProblem(
                    where + ": " + keys.size() + " keys for " + values.length + " values");
        }
        if (shape.size() > 1) {
            throw new FormatProblem(
                    where + " have shape " + shape + "; a tabular row is one vector");
        }
        long[] k = keys.isEmpty() ? null : keys.stream().mapToLong(Long::longValue).toArray();
        return new Tensor(values, k, shape.isEmpty() ? -1 : shape.getFirst());
    }

    /** A record whose label map holds each named vector as a dense 32-bit float tensor. */
    public static byte[] answer(Map<String, float[]> labels) {
        return answer(null, labels);
    }

    /** {@link #answer(Map)} with the record's {@code uid} set (when not null). */
    public static byte[] answer(String uid, Map<String, float[]> labels) {
        Record.Builder r = Record.newBuilder();
        if (uid != null) {
            r.setUid(uid);
        }
        for (Map.Entry<String, float[]> e : labels.entrySet()) {
            Float32Tensor.Builder t = Float32Tensor.newBuilder();
            for (float f : e.getValue()) {
                t.addValues(f);
            }
            r.putLabel(e.getKey(), Value.newBuilder().setFloat32Tensor(t).build());
        }
        return r.build().toByteArray();
    }
}
