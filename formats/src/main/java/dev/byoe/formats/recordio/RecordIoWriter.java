package dev.byoe.formats.recordio;

import java.io.IOException;
import java.io.OutputStream;

/** Writes payloads as single-part RecordIO frames (see {@link RecordIoReader}). */
public final class RecordIoWriter {
    private static final byte[] PADDING = new byte[3];

    private final OutputStream out;

    public RecordIoWriter(OutputStream out) {
        this.out = out;
    }

    public void write(byte[] payload) throws IOException {
        if (payload.length > RecordIoReader.LENGTH_MASK) {
            throw new IllegalArgumentException(
                    "a record of " + payload.length + " bytes is too large for one RecordIO frame");
        }
        writeWord(RecordIoReader.MAGIC);
        writeWord(payload.length);
        out.write(payload);
        out.write(PADDING, 0, (4 - payload.length % 4) % 4);
    }

    private void writeWord(int v) throws IOException {
        out.write(v);
        out.write(v >>> 8);
        out.write(v >>> 16);
        out.write(v >>> 24);
    }
}
