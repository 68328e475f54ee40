package dev.byoe.formats;

import dev.byoe.formats.libsvm.LibSvmLine;
import dev.byoe.formats.recordio.RecordIoReader;
import dev.byoe.formats.recordio.RecordRows;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Every row of a channel's files in one of the {@link RowFormat}s, read in one pass (a Pipe-mode
 * FIFO can be read only once), with the width and libsvm index base the whole channel implies.
 */
public final class NumericChannel {
    /** One input of the channel: its name in messages and how to open it. */
    public record Source(String name, Opener opener) {}

    /** Opens a source's bytes (already decompressed). */
    @FunctionalInterface
    public interface Opener {
        InputStream open() throws IOException;
    }

    /**
     * A row, the 0-based index of the source it came from, and where it is ({@code "train/a.libsvm
     * line 7"}, {@code "train_0 record 12"}) for messages.
     */
    public record Located(NumericRow row, int source, String where) {}

    private final List<Located> rows;
    private final int width;
    private final int indexBase;

    private NumericChannel(List<Located> rows, int width, int indexBase) {
        this.rows = rows;
        this.width = width;
        this.indexBase = indexBase;
    }

    /**
     * Reads every source in order. {@code indexBase} is the libsvm index base to use, or -1 to take
     * it from the data: 0 when some line uses index 0, 1 otherwise.
     */
    public static NumericChannel read(RowFormat format, List<Source> sources, int indexBase)
            throws IOException {
        return read(format, sources, indexBase, true);
    }

    /**
     * {@link #read(RowFormat, List, int)}; without {@code labelled} (requests, captured requests),
     * a libsvm line's first token is a label only when it has no colon.
     */
    public static NumericChannel read(
            RowFormat format, List<Source> sources, int indexBase, boolean labelled)
            throws IOException {
        return switch (format) {
            case LIBSVM -> readLibSvm(sources, indexBase, labelled);
            case RECORDIO_PROTOBUF -> readRecordIo(sources);
        };
    }

    private static NumericChannel readLibSvm(List<Source> sources, int indexBase, boolean labelled)
            throws IOException {
        List<LibSvmLine> lines = new ArrayList<>();
        List<Integer> from = new ArrayList<>();
        List<String> where = new ArrayList<>();
        boolean zero = false;
        for (int s = 0; s < sources.size(); s++) {
            Source source = sources.get(s);
            try (BufferedReader in =
                    new BufferedReader(
                            new InputStreamReader(
                                    source.opener().open(), StandardCharsets.UTF_8))) {
                String text;
                long number = 0;
                while ((text = in.readLine()) != null) {
                    number++;
                    String at = source.name() + " line " + number;
                    LibSvmLine line = LibSvmLine.parse(text, at, labelled);
                    if (line != null) {
                        lines.add(line);
                        from.add(s);
                        where.add(at);
                        zero |= line.smallestIndex() == 0;
                    }
                }
            }
        }
        int base = indexBase >= 0 ? indexBase : zero ? 0 : 1;
        List<Located> rows = new ArrayList<>(lines.size());
        int width = 0;
        for (int i = 0; i < lines.size(); i++) {
            NumericRow row = lines.get(i).row(base, where.get(i));
            rows.add(new Located(row, from.get(i), where.get(i)));
            width = Math.max(width, row.size());
        }
        return new NumericChannel(rows, width, base);
    }

    private static NumericChannel readRecordIo(List<Source> sources) throws IOException {
        List<Located> rows = new ArrayList<>();
        int width = 0;
        for (int s = 0; s < sources.size(); s++) {
            Source source = sources.get(s);
            try (InputStream in = source.opener().open()) {
                RecordIoReader reader = new RecordIoReader(in, source.name());
                byte[] payload;
                while ((payload = reader.next()) != null) {
                    String at = source.name() + " record " + reader.records();
                    NumericRow row = RecordRows.row(payload, at);
                    rows.add(new Located(row, s, at));
                    width = Math.max(width, row.size());
                }
            }
        }
        return new NumericChannel(rows, width, -1);
    }

    public List<Located> rows() {
        return rows;
    }

    /** The most features any row has. */
    public int width() {
        return width;
    }

    /** The libsvm index base the rows were read with; -1 for formats without indices. */
    public int indexBase() {
        return indexBase;
    }
}
