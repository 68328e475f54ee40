package dev.byoe.training.anomaly;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.byoe.logs.LogParser;
import dev.byoe.model.anomaly.AnomalyDetector;
import dev.byoe.model.anomaly.Calibration;
import dev.byoe.model.anomaly.LogAnomalyModel;
import dev.byoe.model.member.MemberException;
import dev.byoe.training.TrainingStop;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Random;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * Trains the log members on data read once and joins them into one model. With labelled sessions of
 * both kinds in the training data, a stratified share of them ({@code calibrationFraction}) is held
 * out: members learn from the rest, each member's score is calibrated to P(anomaly) on the held-out
 * sessions (isotonic), and the decision threshold of the weighted average is the one with the best
 * F1 there. Without labels of both kinds, the same share of the sessions not labelled anomalous is
 * held out (at least {@value #MIN_REFERENCE} of them, else all sessions are used in-sample, and the
 * log says so): members learn from the rest, each score becomes its quantile among the held-out
 * scores and the threshold is set by a false-positive budget on them. Held out, because a member
 * that remembers its training sessions (DeepLog's known transitions, a deep tree) scores them lower
 * than new normal sessions, so an in-sample budget would let through more than promised. So too
 * with fewer than {@value #MIN_ANOMALIES_FOR_ISOTONIC} held-out anomalies (then the normal held-out
 * sessions are the reference).
 */
public final class LogEnsembleTrainer {
    /** A member to train, under its name, with its averaging weight. */
    public record Entry(
            String name, AnomalyMemberType type, AnomalyTrainer trainer, double weight) {}

    /** {@code decisionThreshold} 0 means: choose it (best F1, or the false-positive budget). */
    public record Settings(
            double calibrationFraction,
            double decisionThreshold,
            double falsePositiveRate,
            long seed) {}

    /** The model, figures on the validation sessions (if labelled) and how it was calibrated. */
    public record Result(
            LogAnomalyModel model,
            Map<String, Map<String, Double>> members,
            Map<String, Double> ensemble,
            String calibration) {}

    /** Below this many held-out anomalies a fitted calibration would be noise. */
    static final int MIN_ANOMALIES_FOR_ISOTONIC = 10;

    /** Fewest held-out sessions a false-positive budget is set on, without labels. */
    static final int MIN_REFERENCE = 100;

    private final List<Entry> entries;
    private final Settings settings;
    private final Consumer<String> log;

    public LogEnsembleTrainer(List<Entry> entries, Settings settings, Consumer<String> log) {
        this.entries = List.copyOf(entries);
        this.settings = settings;
        this.log = log;
    }

    public Result fit(
            LabelledSessions train,
            LabelledSessions validation,
            int events,
            Path checkpoints,
            TrainingContext.EpochListener epochs,
            LogParser parser,
            Pattern sessionId,
            ObjectNode manifest)
            throws MemberException {
        boolean labelled = train.count(1) > 0 && train.count(0) > 0;
        LabelledSessions fit = train;
        LabelledSessions held = null;
        if (labelled && settings.calibrationFraction() > 0) {
            int[][] parts =
                    stratifiedSplit(
                            train.labels(), settings.calibrationFraction(), settings.seed());
            fit = train.select(parts[0]);
            held = train.select(parts[1]);
            log.accept(
                    String.format(
                            Locale.ROOT,
                            "holding out %d labelled sessions (%d anomalous) to calibrate the members",
                            held.size(),
                            held.count(1)));
        } else {
            for (Entry e : entries) {
                if (e.type().supervised()) {
                    throw new MemberException(
                            e.name()
                                    + " learns from labels, but the training sessions have "
                                    + (labelled
                                            ? "calibration_fraction=0"
                                            : "no labels of both kinds"));
                }
            }
        }
        LabelledSessions unlabelledReference = null;
        if (held == null && settings.calibrationFraction() > 0) {
            // Rows labelled anomalous (possible only without normal labels) are never held out;
            // the members leave them out of what they learn.
            int[] presumed = Arrays.stream(train.labels()).map(l -> l == 1 ? -1 : 0).toArray();
            int[][] parts =
                    stratifiedSplit(presumed, settings.calibrationFraction(), settings.seed());
            if (parts[1].length >= MIN_REFERENCE) {
                fit = train.select(parts[0]);
                unlabelledReference = train.select(parts[1]);
                log.accept(
                        String.format(
                                Locale.ROOT,
                                "holding out %s to set the false-positive budget on; the members learn from the other %d sessions",
                                unlabelledReference.normalKind(),
                                fit.size()));
            } else {
                log.accept(
                        String.format(
                                Locale.ROOT,
                                "only %d sessions would be held out (fewer than %d): the false-positive budget is set on the training sessions themselves, and new normal sessions may be flagged more often than it says",
                                parts[1].length,
                                MIN_REFERENCE));
            }
        }
        // Members choose their own settings (DeepLog's g) on the calibration cut when there is one,
        // so that the validation figures stay those of sessions nothing was chosen on.
        LabelledSessions tuning =
                held != null
                        ? held
                        : validation != null && validation.hasLabels() ? validation : null;
        TrainingContext ctx =
                new TrainingContext(events, validation, tuning, checkpoints, log, epochs);
        List<AnomalyDetector> detectors = new ArrayList<>();
        try {
            for (Entry e : entries) {
                TrainingStop.check("stopped before " + e.name() + " was trained");
                long t = System.nanoTime();
                detectors.add(e.trainer().train(fit, ctx));
                log.accept(
                        String.format(
                                Locale.ROOT,
                                "%s trained in %.2f s",
                                e.name(),
                                (System.nanoTime() - t) / 1e9));
            }
            // Isotonic calibration needs enough held-out anomalies to say anything; with fewer,
            // each score becomes its quantile among normal sessions, as without labels.
            boolean isotonic = held != null && held.count(1) >= MIN_ANOMALIES_FOR_ISOTONIC;
            LabelledSessions reference =
                    isotonic
                            ? held
                            : (held != null
                                            ? held
                                            : unlabelledReference != null
                                                    ? unlabelledReference
                                                    : fit)
                                    .withoutAnomalies();
            List<Calibration> calibrations = new ArrayList<>();
            double[] memberThresholds = new double[entries.size()];
            double[][] probabilities = new double[entries.size()][];
            for (int m = 0; m < entries.size(); m++) {
                double[] raw = detectors.get(m).score(reference.sessions()).scores();
                Calibration c =
                        isotonic
                                ? Calibration.isotonic(raw, held.labels())
                                : Calibration.quantile(raw);
                calibrations.add(c);
                probabilities[m] = new double[raw.length];
                for (int i = 0; i < raw.length; i++) {
                    probabilities[m][i] = c.probability(raw[i]);
                }
                OptionalDouble own =
                        isotonic
                                ? separatingThreshold(probabilities[m], held.labels())
                                : OptionalDouble.empty();
                memberThresholds[m] =
                        own.isPresent()
                                ? own.getAsDouble()
                                : quantileThreshold(
                                        isotonic
                                                ? normalsOnly(probabilities[m], held.labels())
                                                : probabilities[m],
                                        1 - settings.falsePositiveRate());
            }
            double[] weights = entries.stream().mapToDouble(Entry::weight).toArray();
            double[] combined = LogAnomalyModel.average(probabilities, weights);
            double threshold;
            String rule;
            OptionalDouble bestF1 =
                    isotonic && settings.decisionThreshold() <= 0
                            ? separatingThreshold(combined, held.labels())
                            : OptionalDouble.empty();
            if (settings.decisionThreshold() > 0) {
                threshold = settings.decisionThreshold();
                rule = "fixed by decision_threshold";
            } else if (bestF1.isPresent()) {
                threshold = bestF1.getAsDouble();
                rule = "best F1 on the held-out calibration sessions";
            } else {
                threshold =
                        quantileThreshold(
                                isotonic ? normalsOnly(combined, held.labels()) : combined,
                                1 - settings.falsePositiveRate());
                rule =
                        String.format(
                                Locale.ROOT,
                                "false-positive budget %.4f on %s%s",
                                settings.falsePositiveRate(),
                                isotonic
                                        ? held.count(0) + " normal sessions"
                                        : reference.normalKind(),
                                isotonic
                                        ? " (no threshold separates the held-out anomalies better than flagging everything)"
                                        : "");
                if (isotonic) {
                    log.accept(
                            "note: the members do not separate the held-out anomalous sessions from the normal ones");
                }
            }
            String calibration =
                    isotonic
                            ? "isotonic on " + held.size() + " held-out labelled training sessions"
                            : "quantile of the scores of "
                                    + (held != null
                                            ? reference.size()
                                                    + " normal held-out sessions (fewer than "
                                                    + MIN_ANOMALIES_FOR_ISOTONIC
                                                    + " held-out anomalies)"
                                            : unlabelledReference != null
                                                    ? "held-out training sessions: "
                                                            + reference.normalKind()
                                                    : "the training data's "
                                                            + reference.normalKind());
            manifest.put("calibration", calibration);
            manifest.put("threshold_rule", rule);
            List<String> names = entries.stream().map(Entry::name).toList();
            LogAnomalyModel model =
                    new LogAnomalyModel(
                            manifest,
                            events,
                            names,
                            detectors,
                            calibrations,
                            memberThresholds,
                            weights,
                            threshold,
                            parser,
                            sessionId);
            log.accept(
                    String.format(
                            Locale.ROOT,
                            "calibration: %s; decision threshold %.4f (%s)",
                            calibration,
                            threshold,
                            rule));
            Map<String, Map<String, Double>> memberMetrics = new LinkedHashMap<>();
            Map<String, Double> overall = null;
            if (validation != null && validation.hasLabels()) {
                LogAnomalyModel.Result r = model.score(validation.sessions());
                for (LogAnomalyModel.MemberScores s : r.members()) {
                    memberMetrics.put(
                            s.name(), DetectionMetrics.of(s.labels(), validation.labels()).asMap());
                }
                overall = DetectionMetrics.of(r.labels(), validation.labels()).asMap();
            }
            return new Result(model, memberMetrics, overall, calibration);
        } catch (MemberException | RuntimeException e) {
            detectors.forEach(AnomalyDetector::close);
            throw e;
        }
    }

    /** Row indices {kept, held out}: the same share of each label held out, seeded. */
    public static int[][] stratifiedSplit(int[] labels, double fraction, long seed) {
        List<Integer> kept = new ArrayList<>();
        List<Integer> held = new ArrayList<>();
        Random random = new Random(seed);
        for (int label : new int[] {-1, 0, 1}) {
            List<Integer> rows = new ArrayList<>();
            for (int i = 0; i < labels.length; i++) {
                if (labels[i] == label) {
                    rows.add(i);
                }
            }
            Collections.shuffle(rows, random);
            int n = label < 0 ? 0 : (int) Math.max(1, Math.round(rows.size() * fraction));
            held.addAll(rows.subList(0, Math.min(n, rows.size())));
            kept.addAll(rows.subList(Math.min(n, rows.size()), rows.size()));
        }
        Collections.sort(kept);
        Collections.sort(held);
        return new int[][] {
            kept.stream().mapToInt(Integer::intValue).toArray(),
            held.stream().mapToInt(Integer::intValue).toArray()
        };
    }

    /**
     * The threshold t (answers are anomalous when p > t) with the best F1 on labelled sessions;
     * among equal F1 the highest t. It sits halfway between neighbouring distinct values.
     */
    static double bestF1Threshold(double[] p, int[] labels) {
        double[] values = Arrays.stream(p).distinct().sorted().toArray();
        double best = -1;
        double threshold = 0.5;
        for (int k = 0; k < values.length; k++) {
            double t = k == 0 ? values[0] / 2 : (values[k - 1] + values[k]) / 2;
            double f1 = DetectionMetrics.of(above(p, t), labels).f1();
            if (f1 >= best) {
                best = f1;
                threshold = t;
            }
        }
        return threshold;
    }

    /**
     * The best-F1 threshold, if it separates anything: it leaves at least one held-out session
     * normal and has F1 above zero. Empty when flagging everything (or nothing) is the best there
     * is.
     */
    static OptionalDouble separatingThreshold(double[] p, int[] labels) {
        double t = bestF1Threshold(p, labels);
        boolean anyBelow = Arrays.stream(p).anyMatch(v -> v <= t);
        return anyBelow && DetectionMetrics.of(above(p, t), labels).f1() > 0
                ? OptionalDouble.of(t)
                : OptionalDouble.empty();
    }

    private static int[] above(double[] p, double t) {
        int[] out = new int[p.length];
        for (int i = 0; i < p.length; i++) {
            out[i] = p[i] > t ? 1 : 0;
        }
        return out;
    }

    private static double[] normalsOnly(double[] p, int[] labels) {
        return java.util.stream.IntStream.range(0, p.length)
                .filter(i -> labels[i] == 0)
                .mapToDouble(i -> p[i])
                .toArray();
    }

    /** The {@code q}-quantile of {@code p}: about a share {@code 1 - q} of them lies above it. */
    static double quantileThreshold(double[] p, double q) {
        double[] s = p.clone();
        Arrays.sort(s);
        return s[Math.min(s.length - 1, Math.max(0, (int) Math.ceil(q * s.length) - 1))];
    }
}
