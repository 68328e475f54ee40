package dev.byoe.training.anomaly.deeplog;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.byoe.core.Json;
import dev.byoe.model.anomaly.AnomalyDetector;
import dev.byoe.model.anomaly.deeplog.DeepLogDetector;
import dev.byoe.model.anomaly.deeplog.DeepLogSettings;
import dev.byoe.model.anomaly.deeplog.KnownTransitions;
import dev.byoe.model.anomaly.deeplog.LstmForward;
import dev.byoe.model.anomaly.deeplog.LstmWeights;
import dev.byoe.model.anomaly.deeplog.SessionEnds;
import dev.byoe.model.anomaly.deeplog.Windows;
import dev.byoe.model.member.MemberException;
import dev.byoe.training.TrainingStop;
import dev.byoe.training.anomaly.AnomalyTrainer;
import dev.byoe.training.anomaly.DetectionMetrics;
import dev.byoe.training.anomaly.LabelledSessions;
import dev.byoe.training.anomaly.TrainingContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.nd4j.linalg.factory.Nd4j;

/**
 * DeepLog's training loop: DL4J fits the network on windows of the normal sessions, one seeded
 * shuffle per epoch. After each epoch it reports the loss (and precision/recall/F1 when the
 * validation sessions have labels) and writes a checkpoint, so a stopped spot job resumes from the
 * last finished epoch. At the end the trained weights go into the Java forward pass, which must
 * agree with DL4J on a sample of windows before the model is accepted.
 */
final class DeepLogTrainer implements AnomalyTrainer {
    private static final ObjectMapper JSON = Json.MAPPER;
    static final String CHECKPOINT = "deeplog-network.zip";
    static final String CHECKPOINT_STATE = "deeplog-state.json";

    /** Largest softmax difference accepted between DL4J and the Java forward pass. */
    static final double AGREEMENT = 1e-4;

    /**
     * No training row weighs more than this many times the mean (see {@link
     * DistinctWindows#balanced}).
     */
    static final double BALANCE = 4;

    private final DeepLogSettings settings;
    private final int threads;

    DeepLogTrainer(DeepLogSettings settings, int threads) {
        this.settings = settings;
        this.threads = threads;
    }

    @Override
    public AnomalyDetector train(LabelledSessions train, TrainingContext ctx)
            throws MemberException {
        int events = ctx.eventCount();
        Windows windows =
                Windows.of(
                        train.withoutAnomalies().sessions(),
                        settings.window(),
                        events,
                        settings.endOfSession());
        if (windows.count == 0) {
            throw new MemberException("DeepLog has no normal sessions with events to learn from");
        }
        Nd4jNatives.prepare(ctx.log());
        // Small matrices: more OpenMP threads cost more in synchronisation than they give.
        Nd4j.getEnvironment().setMaxMasterThreads(Math.max(1, threads));
        try {
            DistinctWindows distinct =
                    DistinctWindows.of(windows, settings.classes(events)).balanced(BALANCE);
            int first = 1;
            DeepLogNetwork net = null;
            if (ctx.checkpoints() != null) {
                int done = finishedEpoch(ctx.checkpoints(), events);
                if (done >= 0) {
                    net =
                            DeepLogNetwork.restore(
                                    settings,
                                    events,
                                    ctx.checkpoints().resolve(CHECKPOINT),
                                    stepsPerEpoch(distinct.count()));
                    first = done + 1;
                    ctx.log()
                            .accept(
                                    String.format(
                                            Locale.ROOT,
                                            "deeplog: resuming from the checkpoint after epoch %d of %d (learning rate %.3g)",
                                            done,
                                            settings.epochs(),
                                            net.learningRate()));
                }
            }
            if (net == null) {
                net = DeepLogNetwork.create(settings, events, stepsPerEpoch(distinct.count()));
            }
            boolean[] seenNext = new boolean[settings.classes(events)];
            for (int next : windows.next) {
                seenNext[next] = true;
            }
            ctx.log()
                    .accept(
                            String.format(
                                    Locale.ROOT,
                                    "deeplog: %d windows (%d rows of distinct windows) from %s, %d events",
                                    windows.count,
                                    distinct.count(),
                                    train.withoutAnomalies().normalKind(),
                                    events));
            SessionEnds ends = SessionEnds.of(train.withoutAnomalies().sessions().events(), events);
            KnownTransitions known =
                    settings.knownTransitions() ? KnownTransitions.of(windows) : null;
            if (known != null) {
                ctx.log()
                        .accept(
                                String.format(
                                        Locale.ROOT,
                                        "deeplog: %d distinct transitions of the normal training sessions kept; none of them is ever a miss",
                                        known.size()));
            }
            if (settings.endOfSession() && settings.endMinShare() > 0) {
                ctx.log()
                        .accept(
                                String.format(
                                        Locale.ROOT,
                                        "deeplog: a session may end after %s (each ended at least %s of the normal training sessions)",
                                        endingEvents(ends, settings.endMinShare(), events),
                                        settings.endMinShare()));
            }
            // Checks for a stop request between minibatches: a SIGTERM is worth waiting for here.
            try (TrainingStop.Cooperation cooperation = TrainingStop.cooperating()) {
                for (int epoch = first; epoch <= settings.epochs(); epoch++) {
                    long start = System.nanoTime();
                    double loss;
                    try {
                        loss = net.fitEpoch(distinct, new Random(settings.seed() * 31 + epoch));
                    } catch (TrainingStop.Stopped stop) {
                        throw stopped(net, ctx, epoch, events);
                    }
                    double seconds = (System.nanoTime() - start) / 1e9;
                    Map<String, Double> figures = new LinkedHashMap<>();
                    figures.put("train-loss", loss);
                    // Windows of the data set per second; DL4J itself processes the distinct ones.
                    figures.put("windows-per-second", windows.count / seconds);
                    figures.put("distinct-windows-per-second", distinct.count() / seconds);
                    if (ctx.validation() != null && ctx.validation().hasLabels()) {
                        DeepLogDetector d =
                                new DeepLogDetector(
                                        settings, events, net.weights(), seenNext, ends, known);
                        if (settings.topG() == 0) {
                            d = d.withTopG(9);
                        }
                        DetectionMetrics m =
                                DetectionMetrics.of(
                                        d.score(ctx.validation().sessions()).labels(),
                                        ctx.validation().labels());
                        m.asMap().forEach((k, v) -> figures.put("validation-" + k, v));
                    }
                    ctx.epochs().epoch("deeplog", epoch, figures);
                    if (ctx.checkpoints() != null) {
                        checkpoint(net, ctx.checkpoints(), epoch, events);
                    }
                }
            }
            LstmWeights weights = net.weights();
            DeepLogDetector detector =
                    new DeepLogDetector(settings, events, weights, seenNext, ends, known);
            if (settings.topG() == 0) {
                detector = chooseTopG(detector, ctx);
            }
            // The pass serving settles on; the scalar pass it answers with before that gives the
            // same bits (LstmForwardTest).
            LstmForward served = LstmForward.every(weights).get(0);
            Agreement a = agreement(net, served, windows);
            ctx.log()
                    .accept(
                            String.format(
                                    Locale.ROOT,
                                    "deeplog: Java forward pass (%s) agrees with DL4J within %.2g on %d windows (DL4J %.1f ms, Java %.1f ms, first calls)",
                                    served.kind(),
                                    a.worst(),
                                    a.windows(),
                                    a.dl4jNanos() / 1e6,
                                    a.javaNanos() / 1e6));
            return detector;
        } catch (IOException e) {
            throw new MemberException("DeepLog checkpoint: " + e.getMessage(), e);
        }
    }

    /**
     * {@code top_g=0}: the g with the best F1 on the labelled held-out sessions (the largest such
     * g, which flags the fewest), or the paper's 9 without labels.
     */
    private static DeepLogDetector chooseTopG(DeepLogDetector detector, TrainingContext ctx) {
        LabelledSessions v = ctx.tuning();
        if (v == null || !v.hasLabels() || v.count(1) == 0 || v.count(0) == 0) {
            ctx.log()
                    .accept(
                            "deeplog: top_g=0 and no held-out sessions labelled both ways to choose it on; using the paper's g=9");
            return detector.withTopG(9);
        }
        int[] ranks = detector.anomalyRanks(v.sessions());
        int classes = detector.forward().weights().classes();
        int best = 1;
        double bestF1 = -1;
        for (int g = 1; g <= classes; g++) {
            int[] predicted = new int[ranks.length];
            for (int i = 0; i < ranks.length; i++) {
                predicted[i] = ranks[i] >= g ? 1 : 0;
            }
            double f1 = DetectionMetrics.of(predicted, v.labels()).f1();
            if (f1 >= bestF1) {
                bestF1 = f1;
                best = g;
            }
        }
        ctx.log()
                .accept(
                        String.format(
                                Locale.ROOT,
                                "deeplog: top_g=%d chosen on %d held-out labelled sessions (%d anomalous; F1 %.4f)",
                                best,
                                v.size(),
                                v.count(1),
                                bestF1));
        return detector.withTopG(best);
    }

    /** Minibatches in one pass over {@code rows} distinct windows. */
    private int stepsPerEpoch(int rows) {
        return (rows + settings.batchSize() - 1) / settings.batchSize();
    }

    /** The events a session may end after, as {@code E<n>} with their counts. */
    private static String endingEvents(SessionEnds ends, double minShare, int events) {
        boolean[] allowed = ends.allowed(minShare);
        java.util.StringJoiner names = new java.util.StringJoiner(", ");
        for (int e = 0; e < allowed.length; e++) {
            if (allowed[e]) {
                names.add((e == events ? "no event" : "E" + e) + " (" + ends.counts()[e] + ")");
            }
        }
        return names.toString();
    }

    /** The largest softmax difference on a sample of windows, and what each side took. */
    record Agreement(double worst, int windows, long dl4jNanos, long javaNanos) {}

    /** Compares on up to 512 training windows; fails above {@link #AGREEMENT}. */
    static Agreement agreement(DeepLogNetwork net, LstmForward forward, Windows windows)
            throws MemberException {
        int n = Math.min(512, windows.count);
        int[] rows = new int[n];
        for (int i = 0; i < n; i++) {
            rows[i] = (int) ((long) i * windows.count / n);
        }
        long t0 = System.nanoTime();
        float[] expected = net.output(windows, rows);
        long dl4j = System.nanoTime() - t0;
        int classes = forward.weights().classes();
        int[] in = new int[n * windows.window];
        for (int i = 0; i < n; i++) {
            System.arraycopy(
                    windows.inputs,
                    rows[i] * windows.window,
                    in,
                    i * windows.window,
                    windows.window);
        }
        float[] logits = new float[n * classes];
        t0 = System.nanoTime();
        forward.logits(in, 0, n, windows.window, logits);
        long java = System.nanoTime() - t0;
        double worst = 0;
        for (int i = 0; i < n; i++) {
            double[] p = softmax(logits, i * classes, classes);
            for (int c = 0; c < classes; c++) {
                worst = Math.max(worst, Math.abs(p[c] - expected[i * classes + c]));
            }
        }
        if (!(worst <= AGREEMENT)) {
            throw new MemberException(
                    String.format(
                            Locale.ROOT,
                            "DeepLog: the Java forward pass differs from DL4J by %.3g (limit %.0g); not saving a model that would serve different answers",
                            worst,
                            AGREEMENT));
        }
        return new Agreement(worst, n, dl4j, java);
    }

    static double[] softmax(float[] logits, int off, int n) {
        double max = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < n; c++) {
            max = Math.max(max, logits[off + c]);
        }
        double[] p = new double[n];
        double sum = 0;
        for (int c = 0; c < n; c++) {
            p[c] = Math.exp(logits[off + c] - max);
            sum += p[c];
        }
        for (int c = 0; c < n; c++) {
            p[c] /= sum;
        }
        return p;
    }

    private void checkpoint(DeepLogNetwork net, Path dir, int epoch, int events)
            throws IOException {
        Files.createDirectories(dir);
        Path tmp = dir.resolve(CHECKPOINT + ".tmp");
        net.checkpoint(tmp);
        Files.move(
                tmp,
                dir.resolve(CHECKPOINT),
                StandardCopyOption.REPLACE_EXISTING,
                StandardCopyOption.ATOMIC_MOVE);
        Map<String, Object> state = new LinkedHashMap<>();
        state.put("epoch", epoch);
        state.put("event_count", events);
        state.put("settings", settings);
        Path stateTmp = dir.resolve(CHECKPOINT_STATE + ".tmp");
        JSON.writeValue(stateTmp.toFile(), state);
        Files.move(
                stateTmp,
                dir.resolve(CHECKPOINT_STATE),
                StandardCopyOption.REPLACE_EXISTING,
                StandardCopyOption.ATOMIC_MOVE);
    }

    /**
     * A stop in the middle of an epoch: the weights so far (finished epochs plus part of this one)
     * are saved as a checkpoint after the previous epoch, so that a resumed job repeats this one.
     */
    private TrainingStop.Stopped stopped(
            DeepLogNetwork net, TrainingContext ctx, int epoch, int events) throws IOException {
        String where = "stopped during deeplog epoch " + epoch + " of " + settings.epochs();
        if (ctx.checkpoints() == null) {
            return new TrainingStop.Stopped(
                    where + "; no checkpoint location was configured, so nothing was saved");
        }
        checkpoint(net, ctx.checkpoints(), epoch - 1, events);
        return new TrainingStop.Stopped(
                where
                        + "; the network (epochs 1-"
                        + (epoch - 1)
                        + " and part of "
                        + epoch
                        + ") is saved in "
                        + ctx.checkpoints()
                        + ", and a job with the same checkpoint location resumes at epoch "
                        + epoch);
    }

    /**
     * The last finished epoch (0: none yet, weights saved) of a checkpoint with the same settings
     * and events, else -1.
     */
    private int finishedEpoch(Path dir, int events) throws IOException {
        Path state = dir.resolve(CHECKPOINT_STATE);
        if (!Files.isRegularFile(state) || !Files.isRegularFile(dir.resolve(CHECKPOINT))) {
            return -1;
        }
        JsonNode s = JSON.readTree(state.toFile());
        DeepLogSettings saved = JSON.treeToValue(s.get("settings"), DeepLogSettings.class);
        boolean same = saved.equals(settings) || saved.equals(settings.withEpochs(saved.epochs()));
        return same && s.path("event_count").asInt() == events ? s.path("epoch").asInt() : -1;
    }
}
