package dev.byoe.serve.codec;

import dev.byoe.core.data.CsvFormatException;
import dev.byoe.core.data.CsvRecordReader;
import dev.byoe.core.data.FeatureBatch;
import dev.byoe.core.data.FeatureSchema;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;

/**
 * {@code text/csv}: one row per record, features only (no label, no header), in training order.
 * Quoted fields and CRLF line ends are accepted; a header row sent by mistake is refused by name.
 */
final class CsvRequestDecoder implements RequestDecoder {
    /**
     * Bodies without quotes are split at commas and line ends here rather than by the CSV library:
     * the JMH benchmark {@code CsvReadBenchmark} measures this path against the library on the same
     * bodies (bench/RESULTS.md), and {@code -Dbyoe.csv.libraryOnly=true} is its baseline.
     */
    private static final boolean PLAIN_FAST_PATH = !Boolean.getBoolean("byoe.csv.libraryOnly");

    @Override
    public FeatureBatch decode(byte[] body, FeatureSchema schema) {
        String text = RequestDecoder.utf8(body);
        return PLAIN_FAST_PATH && !needsFullReader(text)
                ? decodePlain(text, schema)
                : decodeQuoted(text, schema);
    }

    /** Quotes, or a carriage return that does not end a line, need the full RFC 4180 reader. */
    private static boolean needsFullReader(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"' || (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) != '\n')) {
                return true;
            }
        }
        return false;
    }

    /**
     * The common case: fields are the text between commas; LF or CRLF ends a row; blank lines are
     * skipped.
     */
    private static FeatureBatch decodePlain(String text, FeatureSchema schema) {
        int expected = schema.size();
        RowBuilder rows = new RowBuilder(schema, estimateRows(text));
        String[] fields = new String[expected];
        int index = 0;
        int pos = 0;
        int n = text.length();
        while (pos < n) {
            int end = text.indexOf('\n', pos);
            if (end < 0) {
                end = n;
            }
            int lineEnd = end > pos && text.charAt(end - 1) == '\r' ? end - 1 : end;
            if (lineEnd > pos) {
                index++;
                int count = 0;
                int start = pos;
                while (true) {
                    int comma = text.indexOf(',', start);
                    if (comma < 0 || comma > lineEnd) {
                        comma = lineEnd;
                    }
                    if (count < expected) {
                        fields[count] = text.substring(start, comma);
                    }
                    count++;
                    if (comma == lineEnd) {
                        break;
                    }
                    start = comma + 1;
                }
                if (count != expected) {
                    throw wrongCount(index, count, schema);
                }
                if (index == 1 && isHeader(fields, schema)) {
                    throw headerRow();
                }
                int row = rows.startRow();
                for (int c = 0; c < expected; c++) {
                    rows.text(row, c, fields[c]);
                }
            }
            pos = end + 1;
        }
        return rows.build();
    }

    private static FeatureBatch decodeQuoted(String text, FeatureSchema schema) {
        int expected = schema.size();
        RowBuilder rows = new RowBuilder(schema, estimateRows(text));
        CsvRecordReader reader = new CsvRecordReader(new StringReader(text));
        int index = 0;
        try {
            String[] record;
            while ((record = reader.next()) != null) {
                index++;
                if (record.length != expected) {
                    throw wrongCount(index, record.length, schema);
                }
                if (index == 1 && isHeader(record, schema)) {
                    throw headerRow();
                }
                int row = rows.startRow();
                for (int c = 0; c < expected; c++) {
                    rows.text(row, c, record[c]);
                }
            }
        } catch (CsvFormatException e) {
            throw RequestProblem.malformed("malformed CSV at " + e.getMessage());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return rows.build();
    }

    private static RequestProblem wrongCount(int row, int count, FeatureSchema schema) {
        return RequestProblem.malformed(
                "row "
                        + row
                        + " has "
                        + count
                        + " fields; the model expects "
                        + schema.size()
                        + " features ("
                        + String.join(",", schema.names())
                        + "), without the label");
    }

    private static RequestProblem headerRow() {
        return RequestProblem.malformed(
                "row 1 is a header row; send feature values only, without a header");
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
