package dev.byoe.core.data;

import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads comma-separated records (RFC 4180): fields may be double-quoted, quotes inside quoted
 * fields are doubled, quoted fields may span lines, and LF or CRLF end a record. Blank lines are
 * skipped; a byte-order mark at the start (Excel's UTF-8 exports) is dropped. Not thread-safe; one
 * reader per stream.
 */
public final class CsvRecordReader {
    static final char BYTE_ORDER_MARK = '\uFEFF';
    private final Reader in;
    private boolean atStart = true;
    private final char[] buf;
    private int pos;
    private int len;
    private long line = 1;
    private long recordLine;
    private final StringBuilder field = new StringBuilder(64);
    private final List<String> fields = new ArrayList<>();

    public CsvRecordReader(Reader in) {
        this(in, 1 << 16);
    }

    /** With a read buffer of {@code bufferSize} characters (small inputs need no 64 K buffer). */
    public CsvRecordReader(Reader in, int bufferSize) {
        this.in = in;
        this.buf = new char[Math.max(16, bufferSize)];
    }

    /** Line on which the record last returned by {@link #next()} started (1-based). */
    public long recordLine() {
        return recordLine;
    }

    /** The next record's fields, or {@code null} at the end of input. */
    public String[] next() throws IOException {
        fields.clear();
        field.setLength(0);
        int c;
        // Skip blank lines between records.
        while (true) {
            c = read();
            if (c == '\r') {
                continue;
            }
            if (c == '\n') {
                line++;
                continue;
            }
            break;
        }
        if (c == -1) {
            return null;
        }
        recordLine = line;
        boolean quoted = false;
        boolean afterQuote = false;
        boolean fieldStart = true;
        while (true) {
            if (quoted) {
                if (c == -1) {
                    throw new CsvFormatException(recordLine, "quoted field is never closed");
                }
                if (c == '"') {
                    int n = read();
                    if (n == '"') {
                        field.append('"');
                    } else {
                        quoted = false;
                        afterQuote = true;
                        c = n;
                        continue;
                    }
                } else {
                    if (c == '\n') {
                        line++;
                    }
                    field.append((char) c);
                }
                c = read();
                continue;
            }
            if (c == ',') {
                fields.add(field.toString());
                field.setLength(0);
                afterQuote = false;
                fieldStart = true;
            } else if (c == '\n' || c == -1) {
                fields.add(field.toString());
                if (c == '\n') {
                    line++;
                }
                return fields.toArray(new String[0]);
            } else if (c == '\r') {
                int n = peek();
                if (n != '\n' && n != -1) {
                    throw new CsvFormatException(line, "carriage return inside an unquoted field");
                }
            } else if (c == '"' && fieldStart) {
                quoted = true;
                fieldStart = false;
            } else if (afterQuote) {
                throw new CsvFormatException(
                        line,
                        "unexpected character '"
                                + (char) c
                                + "' after a closing quote in field "
                                + (fields.size() + 1));
            } else {
                field.append((char) c);
                fieldStart = false;
            }
            c = read();
        }
    }

    private int read() throws IOException {
        if (pos == len) {
            len = in.read(buf, 0, buf.length);
            pos = 0;
            if (len <= 0) {
                len = 0;
                return -1;
            }
            if (atStart) {
                atStart = false;
                if (buf[0] == BYTE_ORDER_MARK) {
                    pos = 1;
                    return read();
                }
            }
        }
        return buf[pos++];
    }

    private int peek() throws IOException {
        int c = read();
        if (c != -1) {
            pos--;
        }
        return c;
    }
}
