package dev.byoe.serve.codec;

import dev.byoe.ensemble.data.CsvFormatException;
import dev.byoe.ensemble.data.CsvRecordReader;
import dev.byoe.ensemble.data.FeatureBatch;
import dev.byoe.ensemble.data.FeatureSchema;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;

/**
 * {@code text/csv}: one row per record, features only (no label, no header), in training order.
 * Quoted fields and CRLF line ends are accepted; a header row sent by mistake is refused by name.
 */
final class CsvRequestDecoder implements RequestDecoder {
    @Override
    public FeatureBatch decode(byte[] body, FeatureSchema schema) {
        String text = RequestDecoder.utf8(body);
        int expected = schema.size();
        RowBuilder rows = new RowBuilder(schema, estimateRows(text));
        CsvRecordReader reader = new CsvRecordReader(new StringReader(text));
        int index = 0;
        try {
            String[] record;
            while ((record = reader.next()) != null) {
                index++;
                if (record.length != expected) {
                    throw HttpProblem.badRequest("row " + index + " has " + record.length + " fields; the model expects "
                            + expected + " features (" + String.join(",", schema.names()) + "), without the label");
                }
                if (index == 1 && isHeader(record, schema)) {
                    throw HttpProblem.badRequest("row 1 is a header row; send feature values only, without a header");
                }
                int row = rows.startRow();
                for (int c = 0; c < expected; c++) {
                    rows.text(row, c, record[c]);
                }
            }
        } catch (CsvFormatException e) {
            throw HttpProblem.badRequest("malformed CSV at " + e.getMessage());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return rows.build();
    }

    private static boolean isHeader(String[] record, FeatureSchema schema) {
        for (int c = 0; c < record.length; c++) {
            if (!record[c].strip().equalsIgnoreCase(schema.feature(c).name())) {
                return false;
            }
        }
        return true;
    }

    private static int estimateRows(String text) {
        int n = 1;
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) == '\n') {
                n++;
            }
        }
        return n;
    }
}
