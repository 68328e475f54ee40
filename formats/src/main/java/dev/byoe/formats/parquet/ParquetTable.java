package dev.byoe.formats.parquet;

import dev.byoe.formats.FormatProblem;
import dev.hardwood.HardwoodContext;
import dev.hardwood.InputFile;
import dev.hardwood.metadata.ColumnChunk;
import dev.hardwood.metadata.CompressionCodec;
import dev.hardwood.metadata.RowGroup;
import dev.hardwood.reader.ColumnReaders;
import dev.hardwood.reader.ParquetFileReader;
import dev.hardwood.schema.ColumnProjection;
import dev.hardwood.schema.ColumnSchema;
import dev.hardwood.schema.FileSchema;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Pattern;

/**
 * One Parquet file as a table: its flat columns, each numeric or text, and its rows as the cells a
 * CSV file with a header would hold, so that every reader of CSV cells (training, the endpoint, the
 * monitor) reads Parquet the same way; the endpoint takes numeric cells as floats directly ({@link
 * #number}), equal to what their text would parse to. A null is an empty cell (a missing value).
 *
 * <p>Column types: integers, floats, doubles and decimals are numeric (a date is its day number, a
 * timestamp its stored count of units); strings, enums, UUIDs, booleans and binary are text. Nested
 * columns (lists, maps, structs) are refused by name. pandas' saved index columns ({@code
 * __index_level_0__}) are left out, as they are row labels rather than data.
 */
public final class ParquetTable {
    /**
     * The media types Parquet goes by; the first is the one SageMaker's built-in algorithms use.
     */
    public static final List<String> CONTENT_TYPES =
            List.of(
                    "application/x-parquet",
                    "application/vnd.apache.parquet",
                    "application/parquet");

    /** Parquet files begin and end with these four bytes. */
    private static final byte[] MAGIC = "PAR1".getBytes(StandardCharsets.US_ASCII);

    private static final Pattern PANDAS_INDEX = Pattern.compile("__index_level_\\d+__");

    /**
     * Hardwood reports its SIMD and codec choices at INFO through java.util.logging, a line pair
     * per process on stderr; jobs' logs keep its warnings only. Held here, as JUL forgets loggers
     * nobody references.
     */
    private static final Logger LIBRARY_LOG = Logger.getLogger("dev.hardwood");

    static {
        LIBRARY_LOG.setLevel(Level.WARNING);
    }

    /**
     * Hardwood's decoding threads, shared by every read: a context per file would start and stop a
     * thread pool each time, which costs more than decoding a 1000-row request body
     * (FormatReadBenchmark).
     */
    private static final HardwoodContext CONTEXT = HardwoodContext.create();

    /**
     * The codecs whose decompressors are in the jar: the JDK's gzip, snappy-java and zstd-jni.
     * Hardwood would need lz4-java or brotli4j for the others.
     */
    private static final Set<CompressionCodec> CODECS =
            EnumSet.of(
                    CompressionCodec.UNCOMPRESSED,
                    CompressionCodec.SNAPPY,
                    CompressionCodec.GZIP,
                    CompressionCodec.ZSTD);

    /** A column as the table shows it. */
    public record Column(String name, boolean numeric) {}

    /** Receives a file's columns once, then its rows in order. */
    public interface RowSink {
        void columns(List<Column> columns);

        /**
         * A row's cells, one per column ({@code ""} for a null); the array is reused for the next
         * row. {@code row} counts from 1.
         */
        void row(String[] cells, long row);
    }

    /** Whether a content type (parameters ignored, any case) names Parquet. */
    public static boolean isContentType(String contentType) {
        if (contentType == null) {
            return false;
        }
        return CONTENT_TYPES.contains(contentType.split(";")[0].strip().toLowerCase(Locale.ROOT));
    }

    /** Whether bytes start like a Parquet file (for formats recognised by content). */
    public static boolean looksLikeParquet(byte[] head, int length) {
        if (length < MAGIC.length) {
            return false;
        }
        for (int i = 0; i < MAGIC.length; i++) {
            if (head[i] != MAGIC[i]) {
                return false;
            }
        }
        return true;
    }

    private final List<ParquetColumn> columns;
    private final int rows;

    private ParquetTable(List<ParquetColumn> columns, int rows) {
        this.columns = columns;
        this.rows = rows;
    }

    /**
     * Reads a whole Parquet file held in memory, column by column. {@code name} names it in
     * problems: a file that is not Parquet, a truncated footer, a nested column or an unreadable
     * page is a {@link FormatProblem} naming the file (and the column where known).
     */
    public static ParquetTable read(String name, byte[] bytes) {
        return opened(name, bytes, reader -> read(name, reader));
    }

    /**
     * {@code use} applied to the file once its frame is checked; anything the library throws
     * becomes a {@link FormatProblem} naming the file.
     */
    private static <T> T opened(String name, byte[] bytes, Function<ParquetFileReader, T> use) {
        checkFrame(name, bytes);
        try (ParquetFileReader reader =
                ParquetFileReader.open(InputFile.of(ByteBuffer.wrap(bytes)), CONTEXT)) {
            return use.apply(reader);
        } catch (FormatProblem e) {
            throw e;
        } catch (IOException | RuntimeException | LinkageError e) {
            throw new FormatProblem(name + " cannot be read as Parquet: " + reason(e));
        }
    }

    /** {@link #read(String, byte[])}, handed to {@code sink} a row of cell texts at a time. */
    public static void read(String name, byte[] bytes, RowSink sink) {
        ParquetTable table = read(name, bytes);
        sink.columns(table.columns());
        String[] cells = new String[table.columns.size()];
        for (int r = 0; r < table.rows; r++) {
            for (int c = 0; c < cells.length; c++) {
                cells[c] = table.columns.get(c).text(r);
            }
            sink.row(cells, r + 1L);
        }
    }

    /** The columns, in file order. */
    public List<Column> columns() {
        List<Column> out = new ArrayList<>(columns.size());
        for (ParquetColumn c : columns) {
            out.add(new Column(c.name(), c.numeric()));
        }
        return out;
    }

    /**
     * A DOUBLE value as the float its text ({@link Double#toString}) parses to, as {@link #number}
     * gives it.
     */
    public static float numberOf(double value) {
        return ParquetColumn.asParsedText(value);
    }

    public int rows() {
        return rows;
    }

    /** A cell as a CSV file would hold it; {@code ""} for a null. */
    public String text(int row, int column) {
        return columns.get(column).text(row);
    }

    /**
     * A numeric column's cell as the float {@code Float.parseFloat(text(row, column))} gives (NaN
     * for a null), without making the text.
     */
    public float number(int row, int column) {
        return columns.get(column).number(row);
    }

    /** How many rows a Parquet file held in memory has, from its footer. */
    public static long rowCount(String name, byte[] bytes) {
        return opened(name, bytes, reader -> reader.getFileMetaData().numRows());
    }

    /**
     * The footer's frame, checked before the library sees the bytes, so that a cut-off file gets a
     * message that says so.
     */
    private static void checkFrame(String name, byte[] bytes) {
        if (!looksLikeParquet(bytes, bytes.length)) {
            throw new FormatProblem(
                    name + " is not a Parquet file (it does not start with the bytes PAR1)");
        }
        int n = bytes.length;
        boolean tail =
                n >= 12
                        && bytes[n - 4] == MAGIC[0]
                        && bytes[n - 3] == MAGIC[1]
                        && bytes[n - 2] == MAGIC[2]
                        && bytes[n - 1] == MAGIC[3];
        if (!tail) {
            throw new FormatProblem(
                    name
                            + " is truncated: a Parquet file ends with its footer and the bytes"
                            + " PAR1, and these "
                            + n
                            + " bytes do not");
        }
        long footer =
                ByteBuffer.wrap(bytes, n - 8, 4).order(java.nio.ByteOrder.LITTLE_ENDIAN).getInt()
                        & 0xffffffffL;
        if (footer + 12 > n) {
            throw new FormatProblem(
                    name
                            + " is truncated: its footer says "
                            + footer
                            + " bytes but the file has "
                            + n);
        }
    }

    private static ParquetTable read(String name, ParquetFileReader reader) {
        FileSchema schema = reader.getFileSchema();
        if (!schema.isFlatSchema()) {
            for (ColumnSchema c : schema.getColumns()) {
                if (c.maxRepetitionLevel() > 0 || c.fieldPath().toString().contains(".")) {
                    throw new FormatProblem(
                            name
                                    + ": column '"
                                    + c.fieldPath()
                                    + "' is nested (a list, map or struct); byoe reads flat"
                                    + " columns only");
                }
            }
            throw new FormatProblem(name + " has nested columns; byoe reads flat columns only");
        }
        for (RowGroup group : reader.getFileMetaData().rowGroups()) {
            for (ColumnChunk chunk : group.columns()) {
                CompressionCodec codec = chunk.metaData().codec();
                if (!CODECS.contains(codec)) {
                    throw new FormatProblem(
                            name
                                    + " is compressed with "
                                    + codec
                                    + "; byoe reads Parquet that is uncompressed or compressed"
                                    + " with "
                                    + CODECS.stream()
                                            .filter(c -> c != CompressionCodec.UNCOMPRESSED)
                                            .toList());
                }
            }
        }
        long declared = reader.getFileMetaData().numRows();
        if (declared > Integer.MAX_VALUE - 8) {
            throw new FormatProblem(
                    name + " has " + declared + " rows; split it into files of fewer rows");
        }
        int rows = (int) declared;
        List<ParquetColumn> columns = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (ColumnSchema c : schema.getColumns()) {
            if (!PANDAS_INDEX.matcher(c.name()).matches()) {
                columns.add(new ParquetColumn(name, c, rows));
                names.add(c.name());
            }
        }
        if (columns.isEmpty()) {
            throw new FormatProblem(name + " has no columns");
        }
        // All columns advance together, a batch at a time. Hardwood's default batch is sized for
        // large scans; one no larger than the file keeps a small request body from allocating
        // (and zeroing) megabytes per column.
        int batch = Math.max(1, Math.min(rows, 1 << 16));
        try (ColumnReaders values =
                reader.buildColumnReaders(ColumnProjection.columns(names.toArray(String[]::new)))
                        .batchSize(batch)
                        .build()) {
            while (values.nextBatch()) {
                for (int i = 0; i < columns.size(); i++) {
                    columns.get(i).append(values.getColumnReader(names.get(i)));
                }
            }
        } catch (FormatProblem e) {
            throw e;
        } catch (RuntimeException e) {
            throw new FormatProblem(name + " cannot be read: " + reason(e));
        }
        for (ParquetColumn column : columns) {
            if (column.size() != rows) {
                throw new FormatProblem(
                        name
                                + ": column '"
                                + column.name()
                                + "' has "
                                + column.size()
                                + " values but the footer says "
                                + rows
                                + " rows");
            }
        }
        return new ParquetTable(List.copyOf(columns), rows);
    }

    private static String reason(Throwable e) {
        String message = e.getMessage();
        return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
    }
}
