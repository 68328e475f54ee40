package dev.byoe.bench;

import dev.byoe.model.anomaly.deeplog.LstmForward;
import dev.byoe.model.anomaly.deeplog.LstmWeights;
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
 * DeepLog's forward pass as serving runs it (the Vector API implementation the CPU gets, {@link
 * LstmForward#of}): {@code windows} windows of ten event ids through two LSTM layers of 64 units
 * and the output layer, DeepLog's default shape, with 29 event ids as HDFS has. The weights and ids
 * are drawn at random (no padding ids, so every window takes all ten steps): the pass's cost does
 * not depend on the values, only on the shape.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(
        value = 1,
        jvmArgsPrepend = {"--add-modules", "jdk.incubator.vector"})
public class LstmForwardBenchmark {
    private static final int HIDDEN = 64;
    private static final int LAYERS = 2;
    private static final int WINDOW = 10;
    private static final int EVENTS = 29;

    @Param({"1", "1000"})
    int windows;

    private LstmForward forward;
    private int[] inputs;
    private float[] logits;

    @Setup
    public void setUp() {
        Random rnd = new Random(1);
        int gates = 4 * HIDDEN;
        // One input per event id and one for the padding id; one class per event id and the end.
        int inputsPerStep = EVENTS + 1;
        int classes = EVENTS + 1;
        float[][] input = new float[LAYERS][];
        float[][] recurrent = new float[LAYERS][];
        float[][] bias = new float[LAYERS][];
        for (int l = 0; l < LAYERS; l++) {
            input[l] = gaussian(rnd, (l == 0 ? inputsPerStep : HIDDEN) * gates);
            recurrent[l] = gaussian(rnd, HIDDEN * gates);
            bias[l] = gaussian(rnd, gates);
        }
        LstmWeights weights =
                new LstmWeights(
                        HIDDEN,
                        inputsPerStep,
                        classes,
                        input,
                        recurrent,
                        bias,
                        gaussian(rnd, HIDDEN * classes),
                        gaussian(rnd, classes));
        forward = LstmForward.every(weights).get(0); // the vector pass, no warm-up thread
        if (!forward.kind().startsWith("vector")) {
            throw new IllegalStateException("not the Vector API pass: " + forward.kind());
        }
        inputs = rnd.ints((long) windows * WINDOW, 0, EVENTS).toArray();
        logits = new float[windows * classes];
    }

    private static float[] gaussian(Random rnd, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) (rnd.nextGaussian() * 0.2);
        }
        return a;
    }

    @Benchmark
    public float[] logits() {
        forward.logits(inputs, 0, windows, WINDOW, logits);
        return logits;
    }
}
