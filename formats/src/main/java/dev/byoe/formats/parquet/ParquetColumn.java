package dev.byoe.formats.parquet;

import dev.byoe.formats.FormatProblem;
import dev.hardwood.metadata.LogicalType;
import dev.hardwood.reader.ColumnReader;
import dev.hardwood.reader.Validity;
import dev.hardwood.schema.ColumnSchema;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.UUID;

/**
 * One flat Parquet column read whole, batch by batch, into a typed array: whole numbers as longs,
 * FLOAT and DOUBLE as themselves, everything else (strings, booleans, UUIDs, decimals) as text.
 * Nulls are kept aside. A value is given as cell text ({@link #text}) or, for numeric columns, as
 * the float a CSV reader would make of that text ({@link #number}).
 */
final class ParquetColumn {
    private enum Storage {
        LONG,
        FLOAT,
        DOUBLE,
        TEXT,
        DECIMAL
    }

    /** Julian day number of 1970-01-01, for INT96 timestamps. */
    private static final long JULIAN_EPOCH_DAY = 2_440_588;

    private final String name;
    private final Storage storage;
    private final int scale;
    private int size;
    private long[] longs;
    private float[] floats;
    private double[] doubles;
    private String[] texts;
    private boolean[] nulls;
    private final ColumnSchema schema;

    ParquetColumn(String file, ColumnSchema schema, int rows) {
        this.name = schema.name();
        this.schema = schema;
        LogicalType logical = schema.logicalType();
        this.scale = logical instanceof LogicalType.DecimalType d ? d.scale() : 0;
        this.storage =
                logical instanceof LogicalType.DecimalType
                        ? Storage.DECIMAL
                        : switch (schema.type()) {
                            case INT32, INT64, INT96 -> Storage.LONG;
                            case FLOAT -> Storage.FLOAT;
                            case DOUBLE -> Storage.DOUBLE;
                            case BOOLEAN, BYTE_ARRAY -> Storage.TEXT;
                            case FIXED_LEN_BYTE_ARRAY -> {
                                if (logical instanceof LogicalType.UuidType) {
                                    yield Storage.TEXT;
                                }
                                throw new FormatProblem(
                                        file
                                                + ": column '"
                                                + name
                                                + "' is a fixed-length binary column that is"
                                                + " neither a decimal nor a UUID; byoe cannot make"
                                                + " it a feature");
                            }
                        };
        switch (storage) {
            case LONG -> longs = new long[rows];
            case FLOAT -> floats = new float[rows];
            case DOUBLE -> doubles = new double[rows];
            default -> texts = new String[rows];
        }
        nulls = new boolean[rows];
    }

    String name() {
        return name;
    }

    /** Numbers and decimals are numeric; strings, booleans, UUIDs and binary are text. */
    boolean numeric() {
        return storage != Storage.TEXT;
    }

    int size() {
        return size;
    }

    /** Appends the reader's current batch. */
    void append(ColumnReader reader) {
        int n = reader.getRecordCount();
        ensure(size + n);
        Validity validity = reader.getLeafValidity();
        if (validity.hasNulls()) {
            for (int i = 0; i < n; i++) {
                nulls[size + i] = validity.isNull(i);
            }
        }
        switch (schema.type()) {
            case INT32 -> {
                int[] v = reader.getInts();
                for (int i = 0; i < n; i++) {
                    put(size + i, v[i]);
                }
            }
            case INT64 -> {
                long[] v = reader.getLongs();
                for (int i = 0; i < n; i++) {
                    put(size + i, v[i]);
                }
            }
            case INT96 -> {
                byte[][] v = reader.getBinaries();
                for (int i = 0; i < n; i++) {
                    put(size + i, v[i] == null ? 0 : int96Millis(v[i]));
                }
            }
            case FLOAT -> System.arraycopy(reader.getFloats(), 0, floats, size, n);
            case DOUBLE -> System.arraycopy(reader.getDoubles(), 0, doubles, size, n);
            case BOOLEAN -> {
                boolean[] v = reader.getBooleans();
                for (int i = 0; i < n; i++) {
                    texts[size + i] = v[i] ? "true" : "false";
                }
            }
            case BYTE_ARRAY, FIXED_LEN_BYTE_ARRAY -> {
                if (storage == Storage.DECIMAL) {
                    byte[][] v = reader.getBinaries();
                    for (int i = 0; i < n; i++) {
                        texts[size + i] =
                                v[i] == null || v[i].length == 0
                                        ? null
                                        : new BigDecimal(new BigInteger(v[i]), scale)
                                                .toPlainString();
                    }
                } else if (schema.logicalType() instanceof LogicalType.UuidType) {
                    byte[][] v = reader.getBinaries();
                    for (int i = 0; i < n; i++) {
                        texts[size + i] = v[i] == null ? null : uuid(v[i]);
                    }
                } else {
                    System.arraycopy(reader.getStrings(), 0, texts, size, n);
                }
            }
        }
        size += n;
    }

    private void put(int row, long value) {
        if (storage == Storage.DECIMAL) {
            texts[row] = BigDecimal.valueOf(value, scale).toPlainString();
        } else {
            longs[row] = value;
        }
    }

    private void ensure(int capacity) {
        if (capacity <= nulls.length) {
            return;
        }
        int grown = Math.max(capacity, nulls.length * 2);
        nulls = Arrays.copyOf(nulls, grown);
        switch (storage) {
            case LONG -> longs = Arrays.copyOf(longs, grown);
            case FLOAT -> floats = Arrays.copyOf(floats, grown);
            case DOUBLE -> doubles = Arrays.copyOf(doubles, grown);
            default -> texts = Arrays.copyOf(texts, grown);
        }
    }

    boolean isNull(int row) {
        return nulls[row] || (texts != null && texts[row] == null);
    }

    /** The cell a CSV file would hold: {@code ""} for a null. */
    String text(int row) {
        if (isNull(row)) {
            return "";
        }
        return switch (storage) {
            case LONG -> Long.toString(longs[row]);
            case FLOAT -> Float.toString(floats[row]);
            case DOUBLE -> Double.toString(doubles[row]);
            default -> texts[row];
        };
    }

    /**
     * A numeric cell as the float {@code Float.parseFloat(text(row))} gives, without the text where
     * that is exact: NaN for a null.
     */
    float number(int row) {
        if (isNull(row)) {
            return Float.NaN;
        }
        return switch (storage) {
            // A long's decimal text is exact, so parsing it rounds the long itself.
            case LONG -> (float) longs[row];
            case FLOAT -> floats[row];
            case DOUBLE -> asParsedText(doubles[row]);
            default -> Float.parseFloat(texts[row]);
        };
    }

    /**
     * {@code Float.parseFloat(Double.toString(d))}, computed as {@code (float) d} unless d lies
     * within one double step of a point halfway between two floats: only there can rounding d's
     * shortest text to a float differ from rounding d itself, as the text is within half a double
     * step of d. The test compares both on such values.
     */
    static float asParsedText(double d) {
        long bits = Double.doubleToRawLongBits(d);
        // The 29 mantissa bits a float drops; halfway is 1 followed by 28 zeros.
        long dropped = bits & ((1L << 29) - 1);
        long halfway = 1L << 28;
        double magnitude = Math.abs(d);
        if (Math.abs(dropped - halfway) <= 1
                || magnitude < 2 * Float.MIN_NORMAL
                || magnitude > Float.MAX_VALUE / 2) {
            return Float.parseFloat(Double.toString(d));
        }
        return (float) d;
    }

    /** Nanoseconds of the day (8 bytes) then the Julian day (4 bytes), little-endian. */
    private static long int96Millis(byte[] value) {
        ByteBuffer b = ByteBuffer.wrap(value).order(ByteOrder.LITTLE_ENDIAN);
        long nanos = b.getLong();
        long julianDay = b.getInt() & 0xffffffffL;
        return (julianDay - JULIAN_EPOCH_DAY) * 86_400_000L + nanos / 1_000_000L;
    }

    private static String uuid(byte[] value) {
        ByteBuffer b = ByteBuffer.wrap(value);
        return new UUID(b.getLong(), b.getLong()).toString();
    }
}
