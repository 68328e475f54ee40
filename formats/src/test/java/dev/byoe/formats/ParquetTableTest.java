package dev.byoe.formats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.byoe.formats.parquet.ParquetTable;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.LocalOutputFile;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Types;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Files written by Apache's Parquet writer (parquet-hadoop), read back by {@link ParquetTable}. */
class ParquetTableTest {
    @TempDir Path dir;

    private static final MessageType TYPED =
            Types.buildMessage()
                    .required(PrimitiveTypeName.INT32)
                    .named("i32")
                    .optional(PrimitiveTypeName.INT64)
                    .named("i64")
                    .required(PrimitiveTypeName.FLOAT)
                    .named("f32")
                    .optional(PrimitiveTypeName.DOUBLE)
                    .named("f64")
                    .required(PrimitiveTypeName.INT64)
                    .as(LogicalTypeAnnotation.decimalType(2, 12))
                    .named("price")
                    .optional(PrimitiveTypeName.BINARY)
                    .as(LogicalTypeAnnotation.stringType())
                    .named("city")
                    .required(PrimitiveTypeName.BOOLEAN)
                    .named("flag")
                    .required(PrimitiveTypeName.INT32)
                    .as(LogicalTypeAnnotation.dateType())
                    .named("day")
                    .required(PrimitiveTypeName.INT64)
                    .named("__index_level_0__")
                    .named("typed");

    private Path writeTyped(CompressionCodecName codec, int rows) throws IOException {
        Path file = dir.resolve("typed-" + codec + ".parquet");
        SimpleGroupFactory groups = new SimpleGroupFactory(TYPED);
        try (ParquetWriter<Group> writer = writer(file, TYPED, codec)) {
            for (int r = 0; r < rows; r++) {
                Group g = groups.newGroup().append("i32", r - 5);
                if (r % 3 != 0) {
                    g.append("i64", 10_000_000_000L + r);
                }
                g.append("f32", r / 4f);
                if (r % 4 != 1) {
                    g.append("f64", r * 0.1);
                }
                g.append("price", 1234L + r);
                if (r % 5 != 2) {
                    g.append("city", "city " + (r % 7));
                }
                g.append("flag", r % 2 == 0)
                        .append("day", 19_000 + r)
                        .append("__index_level_0__", 100L + r);
                writer.write(g);
            }
        }
        return file;
    }

    static ParquetWriter<Group> writer(Path file, MessageType schema, CompressionCodecName codec)
            throws IOException {
        return ExampleParquetWriter.builder(new LocalOutputFile(file))
                .withConf(new PlainParquetConfiguration())
                .withType(schema)
                .withCompressionCodec(codec)
                // Small pages and row groups, so that a file spans several of each.
                .withPageSize(1024)
                .withRowGroupSize(16 * 1024L)
                .build();
    }

    private record Read(List<ParquetTable.Column> columns, List<List<String>> rows) {}

    private static Read read(String name, byte[] bytes) {
        List<ParquetTable.Column> columns = new ArrayList<>();
        List<List<String>> rows = new ArrayList<>();
        ParquetTable.read(
                name,
                bytes,
                new ParquetTable.RowSink() {
                    @Override
                    public void columns(List<ParquetTable.Column> c) {
                        columns.addAll(c);
                    }

                    @Override
                    public void row(String[] cells, long row) {
                        assertEquals(rows.size() + 1, row);
                        rows.add(List.of(cells));
                    }
                });
        return new Read(columns, rows);
    }

    @ParameterizedTest
    @EnumSource(
            value = CompressionCodecName.class,
            names = {"UNCOMPRESSED", "SNAPPY", "GZIP", "ZSTD"})
    void everyColumnTypeAndCodecGivesTheWrittenValuesInOrder(CompressionCodecName codec)
            throws IOException {
        int n = 3000;
        Read read = read("typed.parquet", Files.readAllBytes(writeTyped(codec, n)));
        assertEquals(
                List.of(
                        new ParquetTable.Column("i32", true),
                        new ParquetTable.Column("i64", true),
                        new ParquetTable.Column("f32", true),
                        new ParquetTable.Column("f64", true),
                        new ParquetTable.Column("price", true),
                        new ParquetTable.Column("city", false),
                        new ParquetTable.Column("flag", false),
                        new ParquetTable.Column("day", true)),
                read.columns(),
                "the pandas index column is left out; strings and booleans are text");
        assertEquals(n, read.rows().size());
        for (int r = 0; r < n; r++) {
            List<String> cells = read.rows().get(r);
            assertEquals(Integer.toString(r - 5), cells.get(0));
            assertEquals(r % 3 == 0 ? "" : Long.toString(10_000_000_000L + r), cells.get(1));
            assertEquals(r / 4f, Float.parseFloat(cells.get(2)));
            assertEquals(r % 4 == 1 ? "" : Double.toString(r * 0.1), cells.get(3));
            assertEquals(BigDecimal.valueOf(1234L + r, 2), new BigDecimal(cells.get(4)));
            assertEquals(r % 5 == 2 ? "" : "city " + (r % 7), cells.get(5));
            assertEquals(Boolean.toString(r % 2 == 0), cells.get(6));
            assertEquals(Integer.toString(19_000 + r), cells.get(7));
        }
    }

    @Test
    void numbersAreTheFloatsTheirTextParsesTo() throws IOException {
        Read read =
                read(
                        "typed.parquet",
                        Files.readAllBytes(writeTyped(CompressionCodecName.ZSTD, 500)));
        ParquetTable table =
                ParquetTable.read(
                        "typed.parquet", Files.readAllBytes(dir.resolve("typed-ZSTD.parquet")));
        assertEquals(500, table.rows());
        for (int r = 0; r < 500; r++) {
            for (int c = 0; c < table.columns().size(); c++) {
                String text = read.rows().get(r).get(c);
                assertEquals(text, table.text(r, c));
                if (table.columns().get(c).numeric()) {
                    float expected = text.isEmpty() ? Float.NaN : Float.parseFloat(text);
                    assertEquals(expected, table.number(r, c), "row " + r + " column " + c);
                }
            }
        }
    }

    @Test
    void aDoubleNearAFloatHalfwayPointRoundsAsItsTextDoes() {
        java.util.Random random = new java.util.Random(11);
        int checked = 0;
        for (int i = 0; i < 200_000; i++) {
            // Doubles at, and one step either side of, the point halfway between two floats.
            float f = Float.intBitsToFloat(random.nextInt(0x7f000000));
            double halfway = ((double) f + (double) Math.nextUp(f)) / 2;
            for (double d : new double[] {halfway, Math.nextUp(halfway), Math.nextDown(halfway)}) {
                assertEquals(
                        Float.parseFloat(Double.toString(d)),
                        dev.byoe.formats.parquet.ParquetTable.numberOf(d),
                        Double.toString(d));
                checked++;
            }
            double plain = random.nextGaussian() * Math.pow(10, random.nextInt(20) - 10);
            assertEquals(
                    Float.parseFloat(Double.toString(plain)),
                    dev.byoe.formats.parquet.ParquetTable.numberOf(plain),
                    Double.toString(plain));
        }
        assertEquals(600_000, checked);
    }

    @Test
    void aTruncatedFooterIsNamedAsSuch() throws IOException {
        byte[] whole = Files.readAllBytes(writeTyped(CompressionCodecName.SNAPPY, 50));
        for (int cut : new int[] {1, 6, 40}) {
            byte[] truncated = Arrays.copyOf(whole, whole.length - cut);
            FormatProblem p =
                    assertThrows(FormatProblem.class, () -> read("part-0.parquet", truncated));
            assertTrue(p.getMessage().startsWith("part-0.parquet is truncated"), p.getMessage());
        }
    }

    @Test
    void aFooterCutInsideItsLengthIsAProblemNotACrash() throws IOException {
        byte[] whole = Files.readAllBytes(writeTyped(CompressionCodecName.SNAPPY, 50));
        // Keep the last 8 bytes but lose part of the footer before them: the length no longer fits.
        byte[] broken = new byte[whole.length - 200];
        System.arraycopy(whole, 0, broken, 0, broken.length - 8);
        System.arraycopy(whole, whole.length - 8, broken, broken.length - 8, 8);
        FormatProblem p = assertThrows(FormatProblem.class, () -> read("b.parquet", broken));
        assertTrue(p.getMessage().startsWith("b.parquet "), p.getMessage());
    }

    @Test
    void aCodecWhoseLibraryIsNotInTheJarIsNamed() throws IOException {
        byte[] lz4 = Files.readAllBytes(writeTyped(CompressionCodecName.LZ4_RAW, 20));
        FormatProblem p = assertThrows(FormatProblem.class, () -> read("l.parquet", lz4));
        assertTrue(p.getMessage().contains("compressed with LZ4_RAW"), p.getMessage());
    }

    @Test
    void textThatIsNotParquetIsRefused() {
        FormatProblem p =
                assertThrows(
                        FormatProblem.class,
                        () ->
                                read(
                                        "train.csv",
                                        "a,b\n1,2\n"
                                                .getBytes(
                                                        java.nio.charset.StandardCharsets.UTF_8)));
        assertTrue(p.getMessage().contains("train.csv is not a Parquet file"), p.getMessage());
    }

    @Test
    void aNestedColumnIsRefusedByName() throws IOException {
        MessageType nested =
                Types.buildMessage()
                        .required(PrimitiveTypeName.DOUBLE)
                        .named("x")
                        .optionalGroup()
                        .repeated(PrimitiveTypeName.DOUBLE)
                        .named("element")
                        .named("readings")
                        .named("nested");
        Path file = dir.resolve("nested.parquet");
        try (ParquetWriter<Group> writer =
                writer(file, nested, CompressionCodecName.UNCOMPRESSED)) {
            Group g = new SimpleGroupFactory(nested).newGroup().append("x", 1.0);
            g.addGroup("readings").append("element", 2.0).append("element", 3.0);
            writer.write(g);
        }
        FormatProblem p =
                assertThrows(
                        FormatProblem.class, () -> read("n.parquet", Files.readAllBytes(file)));
        assertTrue(p.getMessage().contains("readings"), p.getMessage());
        assertTrue(p.getMessage().contains("nested"), p.getMessage());
    }

    @Test
    void contentTypesAreRecognisedWithParameters() {
        assertTrue(ParquetTable.isContentType("application/x-parquet"));
        assertTrue(ParquetTable.isContentType("Application/Vnd.Apache.Parquet; charset=binary"));
        assertTrue(!ParquetTable.isContentType("text/csv"));
        assertTrue(!ParquetTable.isContentType(null));
    }
}
