package dev.byoe.serve.codec;

import dev.byoe.core.data.FeatureBatch;
import dev.byoe.core.data.FeatureKind;
import dev.byoe.core.data.FeatureSchema;
import dev.byoe.formats.FormatProblem;
import dev.byoe.formats.parquet.ParquetTable;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code application/x-parquet} bodies (batch transform with {@code SplitType: None}, one file per
 * request): a row per Parquet row, features found by name, so the label and other columns the model
 * does not use may stay in the file. A file whose columns carry none of the model's names (a model
 * trained on headerless CSV) is read by position when the counts agree. Only read: answers go out
 * as CSV, one line per row in file order, unless Accept asks for another format.
 */
final class ParquetFormat extends ReadOnlyRowFormat {
    @Override
    public String mediaType() {
        return ParquetTable.CONTENT_TYPES.getFirst();
    }

    @Override
    public List<String> names() {
        return ParquetTable.CONTENT_TYPES;
    }

    /** Pages decompress to several times their size, then become cells and rows. */
    @Override
    public int workingMemoryPerByte() {
        return 16;
    }

    @Override
    public boolean isText() {
        return false;
    }

    @Override
    public FeatureBatch decodeRows(byte[] body, FeatureSchema schema) {
        ParquetTable table;
        try {
            table = ParquetTable.read("the Parquet body", body);
        } catch (FormatProblem e) {
            throw RequestProblem.malformed(e.getMessage());
        }
        List<ParquetTable.Column> columns = table.columns();
        int[] columnOf = featureColumns(columns, schema);
        RowBuilder rows = new RowBuilder(schema, table.rows());
        for (int r = 0; r < table.rows(); r++) {
            int row = rows.startRow();
            for (int f = 0; f < columnOf.length; f++) {
                int c = columnOf[f];
                float value =
                        schema.feature(f).kind() == FeatureKind.NUMERIC && columns.get(c).numeric()
                                ? table.number(r, c)
                                : Float.NaN;
                if (Float.isFinite(value)) {
                    rows.numeric(row, f, value);
                } else {
                    // Text, nulls and infinities take the CSV route: the same missing values, and
                    // the same 400 naming row and column for what is not a finite number.
                    rows.text(row, f, table.text(r, c));
                }
            }
        }
        return rows.build();
    }

    /** For each feature, the Parquet column holding it. */
    private static int[] featureColumns(List<ParquetTable.Column> columns, FeatureSchema schema) {
        List<String> names = columns.stream().map(ParquetTable.Column::name).toList();
        int[] columnOf = new int[schema.size()];
        List<String> missing = new ArrayList<>();
        for (int f = 0; f < schema.size(); f++) {
            columnOf[f] = names.indexOf(schema.feature(f).name());
            if (columnOf[f] < 0) {
                missing.add(schema.feature(f).name());
            }
        }
        if (missing.isEmpty()) {
            return columnOf;
        }
        if (missing.size() == schema.size() && names.size() == schema.size()) {
            for (int f = 0; f < columnOf.length; f++) {
                columnOf[f] = f;
            }
            return columnOf;
        }
        throw RequestProblem.malformed(
                "the Parquet body has columns "
                        + names
                        + " but not the model's features "
                        + missing
                        + " (features are found by name: "
                        + String.join(",", schema.names())
                        + ")");
    }
}
