package dev.byoe.serve.codec;

import dev.byoe.core.data.CsvFormatException;
import dev.byoe.core.data.CsvRecordReader;
import dev.byoe.core.data.FeatureBatch;
import dev.byoe.core.data.FeatureSchema;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

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
        BodyScan scan = BodyScan.of(body);
        if (!PLAIN_FAST_PATH || scan.needsFullReader()) {
            return decodeQuoted(RequestDecoder.utf8(body), scan.lines(), schema);
        }
        // Validated (and without a byte-order mark) before any cell is read as UTF-8 text.
        byte[] text =
                scan.ascii() ? body : RequestDecoder.utf8(body).getBytes(StandardCharsets.UTF_8);
        return decodePlain(text, scan.lines(), schema);
    }

    /**
     * What one pass over the body finds: whether it is pure ASCII, whether it needs the full RFC
     * 4180 reader (a quote, or a carriage return that does not end a line), and its line count (up
     * to the first such byte: it only sizes the rows' arrays, which grow when short).
     */
    private record BodyScan(boolean ascii, boolean needsFullReader, int lines) {
        static BodyScan of(byte[] body) {
            boolean ascii = true;
            int lines = 1;
            int n = body.length;
            for (int i = 0; i < n; i++) {
                byte b = body[i];
                if (b == '\n') {
                    lines++;
                } else if (b == '"' || (b == '\r' && i + 1 < n && body[i + 1] != '\n')) {
                    return new BodyScan(false, true, lines);
                } else if (b < 0) {
                    ascii = false;
                }
            }
            return new BodyScan(ascii, false, lines);
        }
    }

    /**
     * The common case, read from the bytes: fields are what lies between commas; LF or CRLF ends a
     * row; blank lines are skipped. Commas and line ends are ASCII, so UTF-8 text splits the same.
     */
    private static FeatureBatch decodePlain(byte[] text, int lines, FeatureSchema schema) {
        int expected = schema.size();
        RowBuilder rows = new RowBuilder(schema, lines);
        int[] starts = new int[expected];
        int[] ends = new int[expected];
        int index = 0;
        int pos = 0;
        int n = text.length;
        while (pos < n) {
            int end = pos;
            while (end < n && text[end] != '\n') {
                end++;
            }
            int lineEnd = end > pos && text[end - 1] == '\r' ? end - 1 : end;
            if (lineEnd > pos) {
                index++;
                int count = 0;
                int start = pos;
                for (int i = pos; ; i++) {
                    if (i == lineEnd || text[i] == ',') {
                        if (count < expected) {
                            starts[count] = start;
                            ends[count] = i;
                        }
                        count++;
                        if (i == lineEnd) {
                            break;
                        }
                        start = i + 1;
                    }
                }
                if (count != expected) {
                    throw wrongCount(index, count, schema);
                }
                if (index == 1 && isHeader(fields(text, starts, ends), schema)) {
                    throw headerRow();
                }
                int row = rows.startRow();
                for (int c = 0; c < expected; c++) {
                    rows.text(row, c, text, starts[c], ends[c]);
                }
            }
            pos = end + 1;
        }
        return rows.build();
    }

    private static String[] fields(byte[] text, int[] starts, int[] ends) {
        String[] out = new String[starts.length];
        for (int c = 0; c < out.length; c++) {
            out[c] = new String(text, starts[c], ends[c] - starts[c], StandardCharsets.UTF_8);
        }
        return out;
    }

    private static FeatureBatch decodeQuoted(String text, int lines, FeatureSchema schema) {
        int expected = schema.size();
        RowBuilder rows = new RowBuilder(schema, lines);
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
}
