package dev.byoe.formats.recordio;

import dev.byoe.formats.FormatProblem;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Reads RecordIO frames from a stream and joins multi-part records. Each frame is a little-endian
 * magic number {@code 0xCED7230A}, a little-endian word whose low 29 bits are the payload's length
 * and whose top 3 bits say whether it is a whole record (0) or its first (1), middle (2) or last
 * (3) part, then the payload padded with zeros to a multiple of 4 bytes.
 */
public final class RecordIoReader {
    static final int MAGIC = 0xCED7230A;
    static final int LENGTH_MASK = (1 << 29) - 1;

    private final InputStream in;
    private final String source;
    private final byte[] word = new byte[4];
    private long offset;
    private long records;

    /** {@code source} names the stream in errors (a file, or "the request body"). */
    public RecordIoReader(InputStream in, String source) {
        this.in = in;
        this.source = source;
    }

    /** Records read so far; the record {@link #next} returned last is this number (1-based). */
    public long records() {
        return records;
    }

    /**
     * The next record's payload, or {@code null} at the end of the stream.
     *
     * @throws FormatProblem on a bad magic number, an unknown part flag or a truncated frame
     */
    public byte[] next() throws IOException {
        ByteArrayOutputStream parts = null;
        while (true) {
            long frameStart = offset;
            if (!readWord(true)) {
                if (parts != null) {
                    throw problem(frameStart, "the stream ends inside a multi-part record");
                }
                return null;
            }
            int magic = littleEndian();
            if (magic != MAGIC) {
                throw problem(
                        frameStart,
                        String.format(
                                "bad magic number 0x%08X (RecordIO frames start with 0x%08X)",
                                magic, MAGIC));
            }
            readWord(false);
            int header = littleEndian();
            int flag = header >>> 29;
            int length = header & LENGTH_MASK;
            byte[] payload = in.readNBytes(length);
            if (payload.length < length) {
                throw problem(
                        frameStart,
                        "the frame says "
                                + length
                                + " bytes but the stream ends after "
                                + payload.length);
            }
            int padding = (4 - length % 4) % 4;
            if (in.readNBytes(padding).length < padding) {
                throw problem(frameStart, "the stream ends inside the frame's padding");
            }
            offset += length + padding;
            switch (flag) {
                case 0 -> {
                    if (parts != null) {
                        throw problem(frameStart, "a whole record inside a multi-part record");
                    }
                    records++;
                    return payload;
                }
                case 1 -> {
                    if (parts != null) {
                        throw problem(frameStart, "a first part inside a multi-part record");
                    }
                    parts = new ByteArrayOutputStream();
                    parts.write(payload);
                }
                case 2, 3 -> {
                    if (parts == null) {
                        throw problem(frameStart, "a continuation part without a first part");
                    }
                    parts.write(payload);
                    if (flag == 3) {
                        records++;
                        return parts.toByteArray();
                    }
                }
                default -> throw problem(frameStart, "unknown part flag " + flag);
            }
        }
    }

    private boolean readWord(boolean endAllowed) throws IOException {
        int n = in.readNBytes(word, 0, 4);
        if (n == 0 && endAllowed) {
            return false;
        }
        if (n < 4) {
            throw problem(offset, "the stream ends inside a frame header");
        }
        offset += 4;
        return true;
    }

    private int littleEndian() {
        return (word[0] & 0xFF)
                | (word[1] & 0xFF) << 8
                | (word[2] & 0xFF) << 16
                | (word[3] & 0xFF) << 24;
    }

    private FormatProblem problem(long at, String what) {
        return new FormatProblem(
                source + ", record " + (records + 1) + " (byte " + at + "): " + what);
    }
}
