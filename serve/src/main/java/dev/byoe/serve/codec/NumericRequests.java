package dev.byoe.serve.codec;

import dev.byoe.core.data.FeatureKind;
import dev.byoe.core.data.FeatureSchema;
import dev.byoe.formats.NumericRow;

/** What the numeric-only request formats (libsvm, RecordIO-protobuf) share. */
final class NumericRequests {
    private NumericRequests() {}

    /** These formats carry numbers only: a model with categorical features is refused (415). */
    static void requireNumeric(FeatureSchema schema, String mediaType) {
        if (schema.categoricalCount() > 0) {
            throw RequestProblem.unsupportedType(
                    mediaType
                            + " carries numbers only, and this model has categorical features "
                            + schema.features().stream()
                                    .filter(f -> f.kind() == FeatureKind.CATEGORICAL)
                                    .map(f -> "'" + f.name() + "'")
                                    .toList()
                            + "; send text/csv or JSON");
        }
    }

    /** A row with every feature it leaves out at 0; a feature beyond the model's is a 400. */
    static void add(RowBuilder rows, NumericRow row, FeatureSchema schema, String where) {
        int[] positions = row.positions();
        if (row.size() > schema.size()) {
            throw RequestProblem.malformed(
                    where
                            + " has "
                            + row.size()
                            + " features; the model takes "
                            + schema.size()
                            + " (sparse indices "
                            + schema.sparseIndexBase()
                            + ".."
                            + (schema.size() - 1 + schema.sparseIndexBase())
                            + ")");
        }
        int r = rows.startRow();
        rows.fillNumeric(r, 0f);
        float[] values = row.values();
        for (int i = 0; i < positions.length; i++) {
            rows.numeric(r, positions[i], values[i]);
        }
    }

    static RequestProblem notForSessions(String mediaType) {
        return RequestProblem.unsupportedType(
                mediaType
                        + " carries feature rows; a log model takes sessions as text/csv, JSON or JSON"
                        + " Lines");
    }
}
