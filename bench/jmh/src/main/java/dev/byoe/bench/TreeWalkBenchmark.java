package dev.byoe.bench;

import dev.byoe.model.xgboost.TreeEvaluator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;
import ml.dmlc.xgboost4j.java.XGBoostError;
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
 * XGBoost prediction for one request's rows: byoe's Java walks against XGBoost4J's native predictor
 * on the same booster. The model is the serving benchmark's: cal_housing (from ../shared/data, else
 * rows of the same shape drawn at random), 100 rounds, depth 6, eta 0.1. {@code walk}: "complete"
 * is the padded level-by-level walk serving uses, "nodes" the node-by-node walk it replaced ({@code
 * -Dbyoe.xgboost.walk=nodes}), "native" {@code Booster.inplace_predict}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class TreeWalkBenchmark {
    private static final int FEATURES = 8;

    @Param({"1", "4", "16", "1000"})
    int rows;

    @Param({"complete", "nodes", "native"})
    String walk;

    /**
     * Share of the rows with one missing value (in a column that changes row by row); such rows
     * walk the padded trees apart from the others, in the loop that checks for a missing value at
     * every split. 0 unless given, e.g. {@code -p missing=0.25}.
     */
    @Param({"0"})
    double missing;

    private Booster booster;
    private TreeEvaluator trees;
    private float[] x;

    @Setup
    public void setUp() throws XGBoostError, IOException {
        float[][] data = calHousing();
        int n = data.length;
        float[] features = new float[n * FEATURES];
        float[] labels = new float[n];
        for (int r = 0; r < n; r++) {
            System.arraycopy(data[r], 0, features, r * FEATURES, FEATURES);
            labels[r] = data[r][FEATURES];
        }
        DMatrix train = new DMatrix(features, n, FEATURES, Float.NaN);
        train.setLabel(labels);
        Map<String, Object> params =
                Map.of(
                        "objective",
                        "reg:squarederror",
                        "max_depth",
                        6,
                        "eta",
                        0.1,
                        "tree_method",
                        "hist",
                        "nthread",
                        1,
                        "seed",
                        1);
        booster = XGBoost.train(train, params, 100, Map.of(), null, null);
        train.dispose();
        System.setProperty("byoe.xgboost.walk", walk);
        trees = TreeEvaluator.of(booster, FEATURES);
        System.clearProperty("byoe.xgboost.walk");
        if (trees == null) {
            throw new IllegalStateException("the Java walk does not agree with XGBoost here");
        }
        // Rows from the far end of the file, in file order (the serving benchmark sends the first).
        x = new float[rows * FEATURES];
        for (int r = 0; r < rows; r++) {
            System.arraycopy(data[n - 1 - r], 0, x, r * FEATURES, FEATURES);
        }
        Random random = new Random(7);
        for (int r = 0; r < rows; r++) {
            if (random.nextDouble() < missing) {
                x[r * FEATURES + r % FEATURES] = Float.NaN;
            }
        }
    }

    @TearDown
    public void tearDown() {
        booster.dispose();
    }

    @Benchmark
    public Object predict() throws XGBoostError {
        return "native".equals(walk)
                ? booster.inplace_predict(x, rows, FEATURES, Float.NaN)
                : trees.predict(x, rows);
    }

    /** cal_housing rows (8 features, then the target), or rows of its shape drawn at random. */
    static float[][] calHousing() throws IOException {
        Path file = Path.of("../shared/data/tabular/cal_housing.csv");
        List<float[]> out = new ArrayList<>();
        if (Files.isRegularFile(file)) {
            List<String> lines = Files.readAllLines(file);
            for (String line : lines.subList(1, lines.size())) {
                String[] cells = line.split(",");
                float[] row = new float[cells.length];
                for (int c = 0; c < cells.length; c++) {
                    row[c] = Float.parseFloat(cells[c]);
                }
                out.add(row);
            }
            return out.toArray(new float[0][]);
        }
        Random random = new Random(3);
        for (int r = 0; r < 20640; r++) {
            float[] row = new float[FEATURES + 1];
            float y = 0;
            for (int c = 0; c < FEATURES; c++) {
                row[c] = (float) random.nextGaussian();
                y += (c + 1) * row[c] * (c % 2 == 0 ? row[c] : 1);
            }
            row[FEATURES] = y;
            out.add(row);
        }
        return out.toArray(new float[0][]);
    }
}
