package dev.byoe.bench;

import dev.byoe.core.data.CsvRecordReader;
import dev.byoe.core.data.Feature;
import dev.byoe.core.data.FeatureBatch;
import dev.byoe.core.data.FeatureKind;
import dev.byoe.core.data.FeatureSchema;
import dev.byoe.serve.codec.Formats;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.TimeUnit;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * CSV request bodies (8 numeric features, unquoted, as SageMaker clients send them) decoded by the
 * serving decoder's own split at commas ({@code path=plain}) and by Jackson's CSV parser, the
 * library every other CSV read uses ({@code path=library}, {@code -Dbyoe.csv.libraryOnly=true}),
 * and by the decoder's split with every number parsed by FastDoubleParser rather than the short
 * decimals' own one-pass parse ({@code path=plain-library-numbers}, {@code
 * -Dbyoe.csv.libraryNumbers=true}). Each path runs in its own fork, so the switch is read once as
 * in production.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class CsvReadBenchmark {
    @Param({"1", "1000"})
    int rows;

    @Param({"plain", "plain-library-numbers", "library"})
    String path;

    private FeatureSchema schema;
    private byte[] body;
    private String text;

    @Setup
    public void setUp() {
        System.setProperty("byoe.csv.libraryOnly", Boolean.toString(path.equals("library")));
        System.setProperty(
                "byoe.csv.libraryNumbers", Boolean.toString(path.equals("plain-library-numbers")));
        List<Feature> features = new ArrayList<>();
        for (int c = 0; c < 8; c++) {
            features.add(new Feature("f" + c, FeatureKind.NUMERIC));
        }
        schema = new FeatureSchema(features);
        Random r = new Random(1);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < rows; i++) {
            for (int c = 0; c < 8; c++) {
                sb.append(c > 0 ? "," : "")
                        .append(String.format(Locale.ROOT, "%.6f", r.nextGaussian() * 100));
            }
            sb.append('\n');
        }
        text = sb.toString();
        body = text.getBytes(StandardCharsets.UTF_8);
    }

    /** The whole request decode: split, parse numbers, build the batch. */
    @Benchmark
    public FeatureBatch decode() {
        return Formats.CSV.decodeRows(body, schema);
    }

    /** Records only, through the library reader (the same in both forks). */
    @Benchmark
    public int records() throws IOException {
        CsvRecordReader reader = new CsvRecordReader(new StringReader(text));
        int n = 0;
        while (reader.next() != null) {
            n++;
        }
        return n;
    }
}
