package dev.byoe.bench;

import dev.byoe.core.data.Feature;
import dev.byoe.core.data.FeatureKind;
import dev.byoe.core.data.FeatureSchema;
import dev.byoe.core.data.Objective;
import dev.byoe.formats.RowFormat;
import dev.byoe.formats.recordio.RecordIoWriter;
import dev.byoe.formats.recordio.proto.SageMakerRecord.Float32Tensor;
import dev.byoe.formats.recordio.proto.SageMakerRecord.Record;
import dev.byoe.formats.recordio.proto.SageMakerRecord.Value;
import dev.byoe.jobs.train.data.ChannelFormat;
import dev.byoe.jobs.train.data.ChannelSource;
import dev.byoe.jobs.train.data.ReadOptions;
import dev.byoe.jobs.train.data.Table;
import dev.byoe.jobs.train.data.TableReader;
import dev.byoe.serve.codec.Format;
import dev.byoe.serve.codec.Formats;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.LocalOutputFile;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Types;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The same rows (a label and 8 numeric features, 5 decimals, as cal_housing holds them) in CSV,
 * libsvm, RecordIO-protobuf and Parquet (snappy, FLOAT columns), read the two ways byoe reads them:
 * a training channel of 20,000 rows into a table ({@code channel}), and a 1000-row request body
 * into a feature batch ({@code request}). Rows per second are 20,000 (or 1000) over the time per
 * operation.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class FormatReadBenchmark {
    static final int CHANNEL_ROWS = 20_000;
    static final int REQUEST_ROWS = 1000;
    static final int FEATURES = 8;

    @Param({"csv", "libsvm", "recordio", "parquet"})
    String format;

    private Path file;
    private ChannelFormat channelFormat;
    private ReadOptions options;
    private byte[] requestBody;
    private Format requestFormat;
    private FeatureSchema schema;

    @Setup
    public void setUp() throws IOException {
        Random random = new Random(7);
        List<float[]> rows = new ArrayList<>();
        for (int r = 0; r < CHANNEL_ROWS; r++) {
            float[] row = new float[FEATURES + 1];
            for (int c = 0; c <= FEATURES; c++) {
                row[c] = Math.round(random.nextGaussian() * 1e5) / 1e5f;
            }
            rows.add(row);
        }
        file = Files.createTempFile("byoe-format-bench", "." + format);
        Files.write(file, encode(rows, true));
        requestBody = encode(rows.subList(0, REQUEST_ROWS), false);
        channelFormat =
                switch (format) {
                    case "libsvm" -> new ChannelFormat.Numeric(RowFormat.LIBSVM);
                    case "recordio" -> new ChannelFormat.Numeric(RowFormat.RECORDIO_PROTOBUF);
                    case "parquet" -> ChannelFormat.PARQUET;
                    default -> ChannelFormat.CSV;
                };
        requestFormat =
                switch (format) {
                    case "libsvm" -> Formats.LIBSVM;
                    case "recordio" -> Formats.RECORDIO_PROTOBUF;
                    case "parquet" -> Formats.PARQUET;
                    default -> Formats.CSV;
                };
        options = new ReadOptions(Objective.REGRESSION, "0", "false", List.of(), false);
        List<Feature> features = new ArrayList<>();
        for (int c = 0; c < FEATURES; c++) {
            features.add(new Feature("column_" + (c + 1), FeatureKind.NUMERIC));
        }
        schema = new FeatureSchema(features);
    }

    private byte[] encode(List<float[]> rows, boolean label) throws IOException {
        if (format.equals("parquet")) {
            return parquet(rows, label);
        }
        StringBuilder text = new StringBuilder();
        ByteArrayOutputStream binary = new ByteArrayOutputStream();
        RecordIoWriter frames = new RecordIoWriter(binary);
        for (float[] row : rows) {
            switch (format) {
                case "csv" -> {
                    for (int c = label ? 0 : 1; c < row.length; c++) {
                        text.append(c > (label ? 0 : 1) ? "," : "").append(row[c]);
                    }
                    text.append('\n');
                }
                case "libsvm" -> {
                    text.append(label ? Float.toString(row[0]) : "0");
                    for (int c = 1; c < row.length; c++) {
                        text.append(' ').append(c).append(':').append(row[c]);
                    }
                    text.append('\n');
                }
                default -> {
                    Float32Tensor.Builder t = Float32Tensor.newBuilder();
                    for (int c = 1; c < row.length; c++) {
                        t.addValues(row[c]);
                    }
                    Record.Builder r =
                            Record.newBuilder()
                                    .putFeatures(
                                            "values",
                                            Value.newBuilder().setFloat32Tensor(t).build());
                    if (label) {
                        r.putLabel(
                                "values",
                                Value.newBuilder()
                                        .setFloat32Tensor(
                                                Float32Tensor.newBuilder().addValues(row[0]))
                                        .build());
                    }
                    frames.write(r.build().toByteArray());
                }
            }
        }
        return format.equals("recordio")
                ? binary.toByteArray()
                : text.toString().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Snappy-compressed Parquet (the default of Spark, Glue and pyarrow) written by Apache's
     * writer, a FLOAT column per field.
     */
    private static byte[] parquet(List<float[]> rows, boolean label) throws IOException {
        Types.MessageTypeBuilder builder = Types.buildMessage();
        List<String> names = new ArrayList<>();
        for (int c = label ? 0 : 1; c <= FEATURES; c++) {
            names.add(c == 0 ? "label" : "column_" + c);
            builder.addField(Types.required(PrimitiveTypeName.FLOAT).named(names.getLast()));
        }
        MessageType type = builder.named("rows");
        Path out = Files.createTempFile("byoe-format-bench", ".parquet");
        Files.delete(out);
        try (ParquetWriter<Group> writer =
                ExampleParquetWriter.builder(new LocalOutputFile(out))
                        .withConf(new PlainParquetConfiguration())
                        .withType(type)
                        .withCompressionCodec(CompressionCodecName.SNAPPY)
                        .build()) {
            SimpleGroupFactory groups = new SimpleGroupFactory(type);
            for (float[] row : rows) {
                Group g = groups.newGroup();
                for (int c = label ? 0 : 1; c <= FEATURES; c++) {
                    g.append(c == 0 ? "label" : "column_" + c, row[c]);
                }
                writer.write(g);
            }
        }
        byte[] bytes = Files.readAllBytes(out);
        Files.delete(out);
        return bytes;
    }

    @TearDown
    public void tearDown() throws IOException {
        Files.deleteIfExists(file);
    }

    @Benchmark
    public Table channel() {
        return TableReader.readTraining(
                List.of(ChannelSource.file("train", file)), channelFormat, options);
    }

    @Benchmark
    public Object request() {
        return requestFormat.decodeRows(requestBody, schema);
    }
}
