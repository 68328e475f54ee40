package dev.byoe.training;

import dev.byoe.core.data.Dataset;
import dev.byoe.core.data.Predictions;
import dev.byoe.model.WeightedAverage;
import dev.byoe.model.member.MemberException;
import dev.byoe.model.member.MemberModel;
import dev.byoe.training.member.FitRequest;
import dev.byoe.training.member.MemberFit;
import dev.byoe.training.member.MemberTrainer;
import dev.byoe.training.member.RoundListener;
import dev.byoe.training.metrics.Folds;
import dev.byoe.training.metrics.Metric;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Trains every member on the same data and measures the ensemble on held-out rows: on the
 * validation set when there is one, otherwise by k-fold cross-validation (out-of-fold predictions
 * pooled over all folds), after which each member is trained once more on all rows.
 *
 * <p>The work comes in {@link Unit}s, a member on one fold or on all rows, that depend on nothing
 * but the data and the seed: a job may run them in any order, on any host, or take them from a
 * checkpoint, and {@link #assemble} gives the same ensemble. {@link #fit} runs them all here.
 */
public final class EnsembleTrainer {
    /** A member to train, under its name, with its averaging weight. */
    public record Entry(String name, MemberTrainer trainer, double weight) {}

    /** The trained members (in entry order) and how well they did. */
    public record Result(List<MemberModel> models, Evaluation evaluation) {}

    /**
     * A member ({@code member}: its position in the entries) on one cross-validation fold
     * (0-based), or on all rows ({@code fold == ALL}).
     */
    public record Unit(int member, int fold) {
        public static final int ALL = -1;

        public boolean isFinal() {
            return fold == ALL;
        }
    }

    /** A fold unit's answer: its predictions of the held-out rows, and the rounds it kept. */
    public record FoldOutcome(Predictions heldOut, int keptRounds) {}

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

    public List<Entry> entries() {
        return entries;
    }

    public int folds() {
        return folds;
    }

    /** Every unit of cross-validation, fold by fold (none when there is a validation set). */
    public List<Unit> foldUnits(boolean validationSet) {
        List<Unit> out = new ArrayList<>();
        if (!validationSet) {
            for (int f = 0; f < folds; f++) {
                for (int m = 0; m < entries.size(); m++) {
                    out.add(new Unit(m, f));
                }
            }
        }
        return out;
    }

    /** One unit per member on all rows. */
    public List<Unit> finalUnits() {
        List<Unit> out = new ArrayList<>();
        for (int m = 0; m < entries.size(); m++) {
            out.add(new Unit(m, Unit.ALL));
        }
        return out;
    }

    /** {@code xgboost fold 2/5}, {@code catboost on all rows}. */
    public String describe(Unit unit) {
        String name = entries.get(unit.member()).name();
        return unit.isFinal()
                ? name + " on all rows"
                : name + " fold " + (unit.fold() + 1) + "/" + folds;
    }

    /** The held-out rows of each fold: the same for every host with the same labels and seed. */
    public int[][] heldOut(Dataset train) {
        boolean stratify = train.target().objective().isClassification();
        return Folds.heldOut(train.labels(), stratify, folds, seed);
    }

    /**
     * Trains a member on all folds but one and predicts the one left out. A member that stops early
     * watches the rows left out, as XGBoost's own cross-validation does.
     */
    public FoldOutcome trainFold(Unit unit, Dataset train, int[][] heldOut) throws MemberException {
        return trainFold(unit, train, heldOut, FitRequest.ALONE);
    }

    /**
     * As {@link #trainFold(Unit, Dataset, int[][])}, with {@code base}'s partial state file (a
     * member stopped mid-unit goes on from its last round).
     */
    public FoldOutcome trainFold(Unit unit, Dataset train, int[][] heldOut, FitRequest base)
            throws MemberException {
        Entry entry = entries.get(unit.member());
        TrainingStop.check("stopped before " + describe(unit));
        long start = System.nanoTime();
        Dataset foldTrain = train.select(Folds.complement(train.rows(), heldOut[unit.fold()]));
        Dataset foldTest = train.select(heldOut[unit.fold()]);
        FitRequest request =
                entry.trainer().stopsEarly()
                        ? base.evaluatedOn(foldTest, RoundListener.NONE)
                        : base;
        MemberFit fit = fitNamed(unit, foldTrain, request);
        try (MemberModel model = fit.model()) {
            Predictions predictions = model.predict(foldTest.features());
            log.accept(
                    String.format(
                            Locale.ROOT,
                            "%s: trained on %d rows in %.2f s%s",
                            describe(unit),
                            foldTrain.rows(),
                            (System.nanoTime() - start) / 1e9,
                            fit.keptRounds() > 0 ? ", kept " + fit.keptRounds() + " rounds" : ""));
            return new FoldOutcome(predictions, fit.keptRounds());
        }
    }

    /**
     * The rounds a member trains on all rows after cross-validation: for a member that stopped
     * early in each fold, the mean of the rounds the folds kept (the fold models saw fewer rows, so
     * this leans short rather than long); otherwise its own setting (0).
     */
    public int finalRounds(int member, Map<Unit, FoldOutcome> outcomes) {
        if (!entries.get(member).trainer().stopsEarly()) {
            return 0;
        }
        long sum = 0;
        int n = 0;
        for (Map.Entry<Unit, FoldOutcome> e : outcomes.entrySet()) {
            if (e.getKey().member() == member && e.getValue().keptRounds() > 0) {
                sum += e.getValue().keptRounds();
                n++;
            }
        }
        return n == 0 ? 0 : (int) Math.max(1, Math.round((double) sum / n));
    }

    /** Trains a member on all rows as {@code request} says; logs what it did. */
    public MemberFit trainFinal(Unit unit, Dataset train, FitRequest request)
            throws MemberException {
        TrainingStop.check("stopped before " + describe(unit));
        long start = System.nanoTime();
        MemberFit fit = fitNamed(unit, train, request);
        int rows = request.share() == null ? train.rows() : request.share().length;
        log.accept(
                String.format(
                        Locale.ROOT,
                        "%s: trained on %d rows%s in %.2f s%s",
                        describe(unit),
                        rows,
                        request.dataParallel() ? " (this host's share, with the other hosts)" : "",
                        (System.nanoTime() - start) / 1e9,
                        fit.keptRounds() > 0 ? ", kept " + fit.keptRounds() + " rounds" : ""));
        return fit;
    }

    /** Trains a unit's member; a stop says which unit it interrupted. */
    private MemberFit fitNamed(Unit unit, Dataset data, FitRequest request) throws MemberException {
        try {
            return entries.get(unit.member()).trainer().fit(data, request);
        } catch (TrainingStop.Stopped e) {
            throw new TrainingStop.Stopped(describe(unit) + ": " + e.getMessage());
        }
    }

    /**
     * The ensemble from every unit's outcome: {@code finals} in entry order, and, without a
     * validation set, every fold outcome.
     */
    public Result assemble(
            Map<Unit, FoldOutcome> foldOutcomes,
            List<MemberModel> finals,
            Dataset train,
            Dataset validation)
            throws MemberException {
        if (validation != null) {
            List<Predictions> predictions = new ArrayList<>();
            for (MemberModel m : finals) {
                predictions.add(m.predict(validation.features()));
            }
            return new Result(finals, evaluate("validation", 0, predictions, validation));
        }
        int[][] heldOut = heldOut(train);
        int width = train.target().predictionWidth();
        List<Predictions> outOfFold = new ArrayList<>();
        for (int m = 0; m < entries.size(); m++) {
            Predictions[] parts = new Predictions[folds];
            for (int f = 0; f < folds; f++) {
                FoldOutcome outcome = foldOutcomes.get(new Unit(m, f));
                if (outcome == null) {
                    throw new IllegalStateException("no outcome for " + describe(new Unit(m, f)));
                }
                parts[f] = outcome.heldOut();
            }
            outOfFold.add(Predictions.scatter(train.rows(), width, heldOut, parts));
        }
        return new Result(finals, evaluate("k-fold", folds, outOfFold, train));
    }

    /** Every unit, here, in order. */
    public Result fit(Dataset train, Dataset validation) throws MemberException {
        Map<Unit, FoldOutcome> outcomes = new LinkedHashMap<>();
        int[][] heldOut = null;
        for (Unit u : foldUnits(validation != null)) {
            if (heldOut == null) {
                heldOut = heldOut(train);
            }
            outcomes.put(u, trainFold(u, train, heldOut));
        }
        List<MemberModel> models = new ArrayList<>();
        try {
            for (Unit u : finalUnits()) {
                FitRequest request =
                        validation != null && entries.get(u.member()).trainer().stopsEarly()
                                ? FitRequest.ALONE.evaluatedOn(validation, RoundListener.NONE)
                                : FitRequest.ALONE.withRounds(finalRounds(u.member(), outcomes));
                models.add(trainFinal(u, train, request).model());
            }
            return assemble(outcomes, models, train, validation);
        } catch (MemberException | RuntimeException e) {
            models.forEach(MemberModel::close);
            throw e;
        }
    }

    /**
     * The ensemble's figures (every metric of the objective) from each member's predictions of
     * {@code truth}'s rows, in entry order.
     */
    public Map<String, Double> ensembleFigures(List<Predictions> memberPredictions, Dataset truth) {
        return compute(
                Metric.forObjective(truth.target().objective()),
                WeightedAverage.combine(memberPredictions, weights()),
                truth.labels());
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
