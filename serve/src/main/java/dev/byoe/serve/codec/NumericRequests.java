package dev.byoe.serve.codec;

import dev.byoe.core.data.FeatureBatch;
import dev.byoe.core.data.FeatureKind;
import dev.byoe.core.data.FeatureSchema;
import dev.byoe.formats.FormatProblem;
import dev.byoe.formats.NumericChannel;
import dev.byoe.formats.NumericRow;
import dev.byoe.formats.RowFormat;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/** What the numeric-only request formats (libsvm, RecordIO-protobuf) share. */
final class NumericRequests {
    private NumericRequests() {}

    /**
     * The rows of a body in {@code format}, read by the same reader as training channels (libsvm
     * indices from the model's base; a leading label ignored), checked against the model.
     */
    static FeatureBatch decode(byte[] body, RowFormat format, FeatureSchema schema) {
        String mediaType = format.contentTypes().getFirst();
        requireNumeric(schema, mediaType);
        NumericChannel channel;
        try {
            channel =
                    NumericChannel.read(
                            format,
                            List.of(
                                    new NumericChannel.Source(
                                            "the body", () -> new ByteArrayInputStream(body))),
                            schema.sparseIndexBase(),
                            false);
        } catch (FormatProblem e) {
            throw RequestProblem.malformed(e.getMessage());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        RowBuilder rows = new RowBuilder(schema, Math.max(1, channel.rows().size()));
        for (NumericChannel.Located located : channel.rows()) {
            NumericRow row = located.row();
            // A dense tensor names every feature, so a shorter one is a mistake; a libsvm line
            // may leave its last features out (they are 0).
            if (format == RowFormat.RECORDIO_PROTOBUF
                    && row.positions().length == row.size()
                    && row.size() < schema.size()) {
                throw RequestProblem.malformed(
                        located.where()
                                + " has "
                                + row.size()
                                + " features; the model takes "
                                + schema.size());
            }
            add(rows, row, schema, located.where());
        }
        return rows.build();
    }

    /** These formats carry numbers only: a model with categorical features is refused (415). */
    private static void requireNumeric(FeatureSchema schema, String mediaType) {
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
    private static void add(RowBuilder rows, NumericRow row, FeatureSchema schema, String where) {
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
