package dev.byoe.bench;

import dev.byoe.core.data.Feature;
import dev.byoe.core.data.FeatureBatch;
import dev.byoe.core.data.FeatureKind;
import dev.byoe.core.data.FeatureSchema;
import dev.byoe.core.data.Objective;
import dev.byoe.core.data.Predictions;
import dev.byoe.core.data.Target;
import dev.byoe.model.EnsembleModel;
import dev.byoe.serve.codec.Format;
import dev.byoe.serve.codec.Formats;
import dev.byoe.serve.codec.MediaType;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
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
 * Request decoding and response encoding, per format, for 1 and 1000 rows of the cal_housing shape
 * (8 numeric features; regression answers with both members' outputs).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class CodecBenchmark {
    @Param({"1", "1000"})
    int rows;

    @Param({"text/csv", "application/json", "application/jsonlines"})
    String mediaType;

    private Format format;

    private FeatureSchema schema;
    private byte[] body;
    private EnsembleModel.Prediction prediction;
    private Target target;

    @Setup
    public void setUp() {
        format = Formats.of(MediaType.parse(mediaType)).orElseThrow();
        List<Feature> features = new ArrayList<>();
        for (String name :
                List.of(
                        "longitude",
                        "latitude",
                        "housingMedianAge",
                        "totalRooms",
                        "totalBedrooms",
                        "population",
                        "households",
                        "medianIncome")) {
            features.add(new Feature(name, FeatureKind.NUMERIC));
        }
        schema = new FeatureSchema(features);
        Random r = new Random(1);
        StringBuilder sb = new StringBuilder(format == Formats.JSON ? "{\"instances\": [" : "");
        for (int i = 0; i < rows; i++) {
            StringBuilder row = new StringBuilder();
            for (int c = 0; c < 8; c++) {
                if (c > 0) {
                    row.append(',');
                }
                row.append(String.format(Locale.ROOT, "%.6f", r.nextGaussian() * 100));
            }
            if (format == Formats.CSV) {
                sb.append(row).append('\n');
            } else if (format == Formats.JSON) {
                sb.append(i > 0 ? "," : "").append('[').append(row).append(']');
            } else {
                sb.append('[').append(row).append("]\n");
            }
        }
        if (format == Formats.JSON) {
            sb.append("]}");
        }
        body = sb.toString().getBytes(StandardCharsets.UTF_8);
        double[] values = new double[rows];
        for (int i = 0; i < rows; i++) {
            values[i] = 100_000 + r.nextGaussian() * 50_000;
        }
        Map<String, Predictions> members = new LinkedHashMap<>();
        members.put("xgboost", new Predictions(rows, 1, values.clone()));
        members.put("catboost", new Predictions(rows, 1, values.clone()));
        prediction = new EnsembleModel.Prediction(new Predictions(rows, 1, values), members);
        target = new Target("medianHouseValue", Objective.REGRESSION, List.of());
    }

    @Benchmark
    public FeatureBatch decode() {
        return format.decodeRows(body, schema);
    }

    @Benchmark
    public byte[] encode() {
        return format.encodeRows(prediction, target, true);
    }
}
