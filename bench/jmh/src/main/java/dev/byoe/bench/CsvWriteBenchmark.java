package dev.byoe.bench;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.dataformat.csv.CsvFactory;
import dev.byoe.core.data.CsvText;
import java.io.IOException;
import java.io.StringWriter;
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
 * Writing CSV rows as the endpoint answers sessions ({@code id,label,probability}, one id in ten
 * needing quotes): byoe's field quoter ({@code CsvText}) into a StringBuilder, against Jackson's
 * CSV generator, the library that reads every CSV.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(3)
public class CsvWriteBenchmark {
    private static final CsvFactory CSV = CsvFactory.builder().build();

    @Param({"1", "1000"})
    int rows;

    private String[] ids;
    private int[] labels;
    private double[] probabilities;

    @Setup
    public void setUp() {
        Random r = new Random(3);
        ids = new String[rows];
        labels = new int[rows];
        probabilities = new double[rows];
        for (int i = 0; i < rows; i++) {
            ids[i] = i % 10 == 0 ? "blk_" + r.nextLong() + ",\"x\"" : "blk_" + r.nextLong();
            labels[i] = r.nextInt(2);
            probabilities[i] = r.nextDouble();
        }
    }

    @Benchmark
    public String own() {
        StringBuilder sb = new StringBuilder(rows * 40);
        for (int i = 0; i < rows; i++) {
            CsvText.append(sb, ids[i]);
            sb.append(',').append(labels[i]).append(',').append(probabilities[i]).append('\n');
        }
        return sb.toString();
    }

    @Benchmark
    public String library() throws IOException {
        StringWriter out = new StringWriter(rows * 40);
        try (JsonGenerator g = CSV.createGenerator(out)) {
            for (int i = 0; i < rows; i++) {
                g.writeStartArray();
                g.writeString(ids[i]);
                g.writeNumber(labels[i]);
                g.writeNumber(probabilities[i]);
                g.writeEndArray();
            }
        }
        return out.toString();
    }
}
