package dev.byoe.training.anomaly.deeplog;

import dev.byoe.model.anomaly.deeplog.DeepLogSettings;
import dev.byoe.model.anomaly.deeplog.LstmForward;
import dev.byoe.model.anomaly.deeplog.LstmWeights;
import dev.byoe.model.anomaly.deeplog.Windows;
import dev.byoe.training.TrainingStop;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Random;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.recurrent.LastTimeStep;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.linalg.schedule.MapSchedule;
import org.nd4j.linalg.schedule.ScheduleType;

/**
 * The DL4J network DeepLog trains: one-hot events (plus a padding input) into {@code L} stacked
 * LSTM layers, the last time step into a softmax over events, cross-entropy loss, Adam. The rate
 * drops tenfold after 80% of the steps and again after 95% (as logdeep's DeepLog does): at a fixed
 * rate the loss jumped back up late in training (0.39 to 0.75 at epochs 18, 31 and 47 on DeepLog's
 * HDFS keys), and the model kept was whatever the last epoch left.
 */
final class DeepLogNetwork {
    private final DeepLogSettings settings;
    private final int eventCount;
    private final MultiLayerNetwork net;

    private DeepLogNetwork(DeepLogSettings settings, int eventCount, MultiLayerNetwork net) {
        this.settings = settings;
        this.eventCount = eventCount;
        this.net = net;
    }

    /** A new network for {@code s.epochs()} epochs of {@code stepsPerEpoch} minibatches. */
    static DeepLogNetwork create(DeepLogSettings s, int eventCount, int stepsPerEpoch) {
        int inputs = eventCount + 1;
        ISchedule rate = learningRates(s, stepsPerEpoch);
        NeuralNetConfiguration.ListBuilder b =
                new NeuralNetConfiguration.Builder()
                        .seed(s.seed())
                        .dataType(DataType.FLOAT)
                        .updater(new Adam(rate))
                        .weightInit(WeightInit.XAVIER)
                        .trainingWorkspaceMode(WorkspaceMode.ENABLED)
                        .inferenceWorkspaceMode(WorkspaceMode.ENABLED)
                        .list();
        for (int l = 0; l < s.layers(); l++) {
            LSTM lstm =
                    new LSTM.Builder()
                            .nIn(l == 0 ? inputs : s.hidden())
                            .nOut(s.hidden())
                            .activation(Activation.TANH)
                            .gateActivationFunction(Activation.SIGMOID)
                            .build();
            b.layer(l == s.layers() - 1 ? new LastTimeStep(lstm) : lstm);
        }
        b.layer(
                new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                        .activation(Activation.SOFTMAX)
                        .nIn(s.hidden())
                        .nOut(s.classes(eventCount))
                        .build());
        b.setInputType(InputType.recurrent(inputs, s.window()));
        MultiLayerConfiguration conf = b.build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return new DeepLogNetwork(s, eventCount, net);
    }

    /**
     * One pass over the distinct windows in a seeded random order. Each row's loss is weighted by
     * how often its window occurs (the labels mask carries the weight, normalised to mean 1 over
     * the data set); returns the mean cross-entropy per original window.
     */
    double fitEpoch(DistinctWindows windows, Random random) {
        int[] order = new int[windows.count()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        for (int i = order.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        double meanWeight = (double) windows.total() / windows.count();
        double loss = 0;
        for (int start = 0; start < order.length; start += settings.batchSize()) {
            if (TrainingStop.requested()) {
                throw new TrainingStop.Stopped("stopped in the middle of an epoch");
            }
            int n = Math.min(settings.batchSize(), order.length - start);
            int[] rows = java.util.Arrays.copyOfRange(order, start, start + n);
            float[] mask = new float[n];
            for (int r = 0; r < n; r++) {
                mask[r] = (float) (windows.weight()[rows[r]] / meanWeight);
            }
            INDArray labelsMask = Nd4j.create(mask, new long[] {n, 1}, 'c');
            net.fit(
                    features(windows.inputs(), windows.window(), rows),
                    labels(windows, rows),
                    null,
                    labelsMask);
            loss += net.score() * n * meanWeight; // score = sum of weighted losses / n
        }
        return loss / windows.total();
    }

    /** Softmax outputs for the given windows, {@code rows.length x eventCount}. */
    float[] output(Windows windows, int[] rows) {
        INDArray out = net.output(features(windows.inputs, windows.window, rows), false);
        return out.castTo(DataType.FLOAT).dup('c').data().asFloat();
    }

    private INDArray features(int[] ids, int h, int[] rows) {
        int inputs = eventCount + 1;
        float[] x = new float[rows.length * inputs * h];
        for (int r = 0; r < rows.length; r++) {
            int base = rows[r] * h;
            for (int t = 0; t < h; t++) {
                x[(r * inputs + ids[base + t]) * h + t] = 1f;
            }
        }
        return Nd4j.create(x, new long[] {rows.length, inputs, h}, 'c');
    }

    private INDArray labels(DistinctWindows w, int[] rows) {
        int classes = w.classes();
        float[] y = new float[rows.length * classes];
        for (int r = 0; r < rows.length; r++) {
            System.arraycopy(w.nextDistribution(), rows[r] * classes, y, r * classes, classes);
        }
        return Nd4j.create(y, new long[] {rows.length, classes}, 'c');
    }

    /** The trained weights in the layout of {@link LstmForward}. */
    LstmWeights weights() {
        int layers = settings.layers();
        float[][] input = new float[layers][];
        float[][] recurrent = new float[layers][];
        float[][] bias = new float[layers][];
        var table = net.paramTable();
        for (int l = 0; l < layers; l++) {
            input[l] = flat(table.get(l + "_W"));
            recurrent[l] = flat(table.get(l + "_RW"));
            bias[l] = flat(table.get(l + "_b"));
        }
        return new LstmWeights(
                settings.hidden(),
                eventCount + 1,
                settings.classes(eventCount),
                input,
                recurrent,
                bias,
                flat(table.get(layers + "_W")),
                flat(table.get(layers + "_b")));
    }

    private static float[] flat(INDArray a) {
        if (a == null) {
            throw new IllegalStateException("DL4J parameter missing");
        }
        return a.castTo(DataType.FLOAT).dup('c').data().asFloat();
    }

    /** Writes the network with its updater state (a DL4J zip of weights and JSON), for resuming. */
    void checkpoint(Path file) throws IOException {
        ModelSerializer.writeModel(net, file.toFile(), true);
    }

    /**
     * A checkpoint, with the rate schedule of {@code s}: a job resumed for more epochs than the
     * checkpoint's steps down at 80% and 95% of its own steps, not of the first job's.
     */
    static DeepLogNetwork restore(DeepLogSettings s, int eventCount, Path file, int stepsPerEpoch)
            throws IOException {
        MultiLayerNetwork net = ModelSerializer.restoreMultiLayerNetwork(file.toFile(), true);
        net.setLearningRate(learningRates(s, stepsPerEpoch));
        return new DeepLogNetwork(s, eventCount, net);
    }

    /** The rate: as set, a tenth of it after 80% of the steps, a hundredth after 95%. */
    private static ISchedule learningRates(DeepLogSettings s, int stepsPerEpoch) {
        long steps = (long) stepsPerEpoch * s.epochs();
        return new MapSchedule.Builder(ScheduleType.ITERATION)
                .add(0, s.learningRate())
                .add((int) Math.max(1, steps * 8 / 10), s.learningRate() / 10)
                .add((int) Math.max(2, steps * 95 / 100), s.learningRate() / 100)
                .build();
    }

    /** The rate the next minibatch will use. */
    double learningRate() {
        return net.getLearningRate(0);
    }
}
