package dev.byoe.bench;

import dev.byoe.core.data.Feature;
import dev.byoe.core.data.FeatureBatch;
import dev.byoe.core.data.FeatureKind;
import dev.byoe.core.data.FeatureSchema;
import dev.byoe.core.data.Objective;
import dev.byoe.core.data.Target;
import dev.byoe.model.catboost.CatBoostModel;
import dev.byoe.model.member.MemberException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The CatBoost member's prediction for one request's rows, as serving calls it: its symmetric trees
 * walked in Java ({@code java}) against catboost-prediction's native call ({@code native}, {@code
 * -Dbyoe.catboost.nativePredict=true}) on the same saved model. The model is the serving
 * benchmark's CatBoost member: cal_housing (from ../shared/data, else rows of its shape drawn at
 * random), 100 rounds, depth 6, eta 0.1, one thread.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class CatBoostWalkBenchmark {
    private static final int FEATURES = 8;

    @Param({"1", "16", "1000"})
    int rows;

    @Param({"java", "native"})
    String walk;

    private CatBoostModel model;
    private FeatureBatch batch;

    @Setup
    public void setUp() throws IOException, MemberException {
        float[][] data = TreeWalkBenchmark.calHousing();
        int n = data.length;
        List<Feature> features = new ArrayList<>();
        for (int c = 0; c < FEATURES; c++) {
            features.add(new Feature("x" + c, FeatureKind.NUMERIC));
        }
        FeatureSchema schema = new FeatureSchema(features);
        Target target = new Target("y", Objective.REGRESSION, List.of());
        Path dir = trainedByTheJar(data);
        System.setProperty("byoe.catboost.nativePredict", Boolean.toString("native".equals(walk)));
        model = (CatBoostModel) CatBoostModel.FORMAT.load(dir, schema, target);
        System.clearProperty("byoe.catboost.nativePredict");
        if (model.evaluatesInJava() != "java".equals(walk)) {
            throw new IllegalStateException("the model does not walk as asked: " + walk);
        }
        // Rows from the far end of the file, in file order (the serving benchmark sends the first).
        float[] request = new float[rows * FEATURES];
        for (int r = 0; r < rows; r++) {
            System.arraycopy(data[n - 1 - r], 0, request, r * FEATURES, FEATURES);
        }
        batch = new FeatureBatch(schema, rows, request, new String[0]);
    }

    /**
     * The CatBoost member of a model trained by {@code dist/byoe.jar} (as the serving benchmark
     * trains it): CatBoost's training library is loaded the way the product loads it.
     */
    private static Path trainedByTheJar(float[][] data) throws IOException {
        Path jar = Path.of("dist/byoe.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IOException("run from the project folder after `make build`: no " + jar);
        }
        Path ml = Files.createTempDirectory("catboost-walk");
        Path train = Files.createDirectories(ml.resolve("input/data/train"));
        Files.createDirectories(ml.resolve("input/config"));
        StringBuilder csv = new StringBuilder();
        for (float[] row : data) {
            for (int c = 0; c <= FEATURES; c++) {
                csv.append(c == 0 ? "" : ",").append(row[c]);
            }
            csv.append('\n');
        }
        Files.writeString(train.resolve("train.csv"), csv);
        Files.writeString(
                ml.resolve("input/config/hyperparameters.json"),
                "{\"members\": \"catboost\", \"target_column\": \"-1\", \"header\": \"false\","
                        + " \"num_round\": \"100\", \"max_depth\": \"6\", \"eta\": \"0.1\","
                        + " \"k_fold\": \"2\"}");
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        ProcessBuilder pb =
                new ProcessBuilder(
                                java.toString(),
                                "--enable-native-access=ALL-UNNAMED",
                                "-jar",
                                jar.toString(),
                                "train")
                        .redirectErrorStream(true)
                        .redirectOutput(ml.resolve("train.log").toFile());
        pb.environment().put("BYOE_ML_ROOT", ml.toString());
        try {
            if (pb.start().waitFor() != 0) {
                throw new IOException(
                        "training failed: " + Files.readString(ml.resolve("train.log")));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
        return ml.resolve("model/members/catboost");
    }

    @TearDown
    public void tearDown() {
        model.close();
    }

    @Benchmark
    public Object predict() throws MemberException {
        return model.predict(batch);
    }
}
