package dev.byoe.core.data;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.csv.CsvFactory;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import java.io.IOException;
import java.io.PushbackReader;
import java.io.Reader;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads comma-separated records (RFC 4180) with Jackson's CSV parser: fields may be double-quoted,
 * quotes inside quoted fields are doubled, quoted fields may span lines, and LF, CRLF or CR end a
 * record. Blank lines are skipped; a byte-order mark at the start (Excel's UTF-8 exports) is
 * dropped. A quoted field never closed, or text after a closing quote, is an error naming the line.
 * Not thread-safe; one reader per stream.
 */
public final class CsvRecordReader implements AutoCloseable {
    static final char BYTE_ORDER_MARK = '\uFEFF';

    /** Shared: a factory is thread-safe and holds the parser's symbol tables and buffers pool. */
    private static final CsvFactory CSV =
            CsvFactory.builder().enable(CsvParser.Feature.SKIP_EMPTY_LINES).build();

    private final Reader in;
    private JsonParser parser;
    private final List<String> fields = new ArrayList<>();
    private long recordLine;

    public CsvRecordReader(Reader in) {
        this.in = in;
    }

    /** Line on which the record last returned by {@link #next()} started (1-based). */
    public long recordLine() {
        return recordLine;
    }

    /** The next record's fields, or {@code null} at the end of input. */
    public String[] next() throws IOException {
        boolean inRecord = false;
        if (parser == null) {
            // Opened at the first read, so that text which cannot be decoded fails there, as an
            // IOException of the caller's reader.
            parser = CSV.createParser(withoutByteOrderMark(in));
        }
        try {
            JsonToken t = parser.nextToken();
            if (t == null) {
                return null;
            }
            recordLine = parser.currentLocation().getLineNr();
            inRecord = true;
            fields.clear();
            while ((t = parser.nextToken()) == JsonToken.VALUE_STRING) {
                fields.add(parser.getText());
            }
            return fields.toArray(new String[0]);
        } catch (JsonProcessingException e) {
            if (e.getCause() instanceof IOException io
                    && !(io instanceof JsonProcessingException)) {
                // The text itself could not be read (such as bytes that are not UTF-8): the
                // caller's reason, not a CSV problem.
                throw io;
            }
            // A record's problem is reported at the line it started on, as a reader would look.
            JsonLocation where = e.getLocation();
            long line = inRecord || where == null ? recordLine : Math.max(1, where.getLineNr());
            String message = e.getOriginalMessage();
            throw new CsvFormatException(
                    line,
                    message.contains("Missing closing quote")
                            ? "quoted field is never closed"
                            : message);
        }
    }

    @Override
    public void close() throws IOException {
        if (parser != null) {
            parser.close();
        }
    }

    private static Reader withoutByteOrderMark(Reader in) throws IOException {
        PushbackReader r = new PushbackReader(in, 1);
        int first = r.read();
        if (first != -1 && first != BYTE_ORDER_MARK) {
            r.unread(first);
        }
        return r;
    }
}
