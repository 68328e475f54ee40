package dev.byoe.training;

import dev.byoe.core.data.Dataset;
import dev.byoe.core.data.Predictions;
import dev.byoe.model.WeightedAverage;
import dev.byoe.model.member.MemberException;
import dev.byoe.model.member.MemberModel;
import dev.byoe.training.member.MemberTrainer;
import dev.byoe.training.metrics.Folds;
import dev.byoe.training.metrics.Metric;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Trains every member on the same data and measures the ensemble on held-out rows: on the
 * validation set when there is one, otherwise by k-fold cross-validation (out-of-fold predictions
 * pooled over all folds), after which each member is trained once more on all rows.
 */
public final class EnsembleTrainer {
    /** A member to train, under its name, with its averaging weight. */
    public record Entry(String name, MemberTrainer trainer, double weight) {}

    /** The trained members (in entry order) and how well they did. */
    public record Result(List<MemberModel> models, Evaluation evaluation) {}

    private final List<Entry> entries;
    private final int folds;
    private final long seed;
    private final Consumer<String> log;

    public EnsembleTrainer(List<Entry> entries, int folds, long seed, Consumer<String> log) {
        this.entries = List.copyOf(entries);
        this.folds = folds;
        this.seed = seed;
        this.log = log;
    }

    public Result fit(Dataset train, Dataset validation) throws MemberException {
        return validation != null ? fitWithValidation(train, validation) : fitWithFolds(train);
    }

    private Result fitWithValidation(Dataset train, Dataset validation) throws MemberException {
        List<MemberModel> models = trainAll(train, "all " + train.rows() + " training rows");
        List<Predictions> predictions = new ArrayList<>();
        for (MemberModel m : models) {
            predictions.add(m.predict(validation.features()));
        }
        return new Result(models, evaluate("validation", 0, predictions, validation));
    }

    private Result fitWithFolds(Dataset train) throws MemberException {
        boolean stratify = train.target().objective().isClassification();
        int[][] heldOut = Folds.heldOut(train.labels(), stratify, folds, seed);
        int width = train.target().predictionWidth();
        Predictions[][] parts = new Predictions[entries.size()][folds];
        for (int f = 0; f < folds; f++) {
            Dataset foldTrain = train.select(Folds.complement(train.rows(), heldOut[f]));
            Dataset foldTest = train.select(heldOut[f]);
            for (int m = 0; m < entries.size(); m++) {
                TrainingStop.check(
                        "stopped before "
                                + entries.get(m).name()
                                + " of cross-validation fold "
                                + (f + 1)
                                + "/"
                                + folds);
                long start = System.nanoTime();
                try (MemberModel model = entries.get(m).trainer().train(foldTrain)) {
                    parts[m][f] = model.predict(foldTest.features());
                }
                log.accept(
                        String.format(
                                java.util.Locale.ROOT,
                                "fold %d/%d: %s trained on %d rows in %.2f s",
                                f + 1,
                                folds,
                                entries.get(m).name(),
                                foldTrain.rows(),
                                (System.nanoTime() - start) / 1e9));
            }
        }
        List<Predictions> outOfFold = new ArrayList<>();
        for (int m = 0; m < entries.size(); m++) {
            outOfFold.add(Predictions.scatter(train.rows(), width, heldOut, parts[m]));
        }
        Evaluation evaluation = evaluate("k-fold", folds, outOfFold, train);
        List<MemberModel> models =
                trainAll(train, "all " + train.rows() + " rows for the final model");
        return new Result(models, evaluation);
    }

    private List<MemberModel> trainAll(Dataset train, String what) throws MemberException {
        List<MemberModel> models = new ArrayList<>();
        try {
            for (Entry e : entries) {
                TrainingStop.check("stopped before " + e.name() + " trained on " + what);
                long start = System.nanoTime();
                models.add(e.trainer().train(train));
                log.accept(
                        String.format(
                                java.util.Locale.ROOT,
                                "%s trained on %s in %.2f s",
                                e.name(),
                                what,
                                (System.nanoTime() - start) / 1e9));
            }
            return models;
        } catch (MemberException | RuntimeException e) {
            models.forEach(MemberModel::close);
            throw e;
        }
    }

    private Evaluation evaluate(
            String method, int k, List<Predictions> memberPredictions, Dataset truth) {
        List<Metric> metrics = Metric.forObjective(truth.target().objective());
        Map<String, Map<String, Double>> perMember = new LinkedHashMap<>();
        for (int m = 0; m < entries.size(); m++) {
            perMember.put(
                    entries.get(m).name(),
                    compute(metrics, memberPredictions.get(m), truth.labels()));
        }
        Predictions combined = WeightedAverage.combine(memberPredictions, weights());
        return new Evaluation(
                method, k, truth.rows(), compute(metrics, combined, truth.labels()), perMember);
    }

    private double[] weights() {
        double[] w = new double[entries.size()];
        for (int i = 0; i < w.length; i++) {
            w[i] = entries.get(i).weight();
        }
        return w;
    }

    private static Map<String, Double> compute(
            List<Metric> metrics, Predictions p, double[] labels) {
        Map<String, Double> out = new LinkedHashMap<>();
        for (Metric metric : metrics) {
            out.put(metric.id(), metric.compute(p, labels));
        }
        return out;
    }
}
