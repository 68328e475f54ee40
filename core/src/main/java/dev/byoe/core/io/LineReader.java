package dev.byoe.core.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Lines of UTF-8 text read straight from bytes: ends at LF, drops a CR before it, replaces
 * malformed bytes with U+FFFD, and drops a UTF-8 byte-order mark at the start. Several times faster
 * than a {@code BufferedReader} on log files, because the JDK turns ASCII byte runs into strings
 * without decoding them character by character.
 */
public final class LineReader {
    private final InputStream in;
    private byte[] buf = new byte[1 << 16];
    private int start;
    private int end;
    private boolean eof;
    private boolean atStart = true;

    public LineReader(InputStream in) {
        this.in = in;
    }

    /** The next line without its line end, or {@code null} at the end of the input. */
    public String readLine() throws IOException {
        if (atStart) {
            atStart = false;
            while (end < 3 && !eof) {
                fill();
            }
            if (end >= 3
                    && buf[0] == (byte) 0xEF
                    && buf[1] == (byte) 0xBB
                    && buf[2] == (byte) 0xBF) {
                start = 3;
            }
        }
        int scan = start;
        while (true) {
            for (int i = scan; i < end; i++) {
                if (buf[i] == '\n') {
                    int len = i - start;
                    if (len > 0 && buf[i - 1] == '\r') {
                        len--;
                    }
                    String line = new String(buf, start, len, StandardCharsets.UTF_8);
                    start = i + 1;
                    return line;
                }
            }
            if (eof) {
                if (start == end) {
                    return null;
                }
                int len = end - start;
                if (buf[end - 1] == '\r') {
                    len--;
                }
                String line = new String(buf, start, len, StandardCharsets.UTF_8);
                start = end;
                return line;
            }
            scan = end - start;
            fill();
            scan = start + scan;
        }
    }

    private void fill() throws IOException {
        if (start > 0) {
            System.arraycopy(buf, start, buf, 0, end - start);
            end -= start;
            start = 0;
        }
        if (end == buf.length) {
            buf = Arrays.copyOf(buf, buf.length * 2);
        }
        int n = in.read(buf, end, buf.length - end);
        if (n < 0) {
            eof = true;
        } else {
            end += n;
        }
    }
}
