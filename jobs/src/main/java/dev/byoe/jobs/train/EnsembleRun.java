package dev.byoe.jobs.train;

import dev.byoe.core.JobFailure;
import dev.byoe.core.Json;
import dev.byoe.core.data.Dataset;
import dev.byoe.core.data.FeatureKind;
import dev.byoe.core.data.Predictions;
import dev.byoe.jobs.train.cluster.Team;
import dev.byoe.jobs.train.metrics.MetricLines;
import dev.byoe.model.member.MemberException;
import dev.byoe.model.member.MemberModel;
import dev.byoe.training.EnsembleTrainer;
import dev.byoe.training.EnsembleTrainer.FoldOutcome;
import dev.byoe.training.EnsembleTrainer.Unit;
import dev.byoe.training.TrainingStop;
import dev.byoe.training.member.FeatureGrid;
import dev.byoe.training.member.FitRequest;
import dev.byoe.training.member.MemberFit;
import dev.byoe.training.member.MemberTrainer;
import dev.byoe.training.member.RoundListener;
import dev.byoe.training.xgboost.XGBoostTracker;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The ensemble's units run across the job's hosts. Every host computes the same plan from the same
 * hyperparameters: fold units take diagonal turns across hosts, the final units of members that
 * train data-parallel (XGBoost) run on every host at once through XGBoost's collective, each on its
 * share of the rows, and the other final units go round-robin from the last host. The leader
 * gathers every unit, assembles the ensemble, and alone prints metric lines. Units found in the
 * checkpoint store are not trained again.
 */
final class EnsembleRun implements AutoCloseable {
    /** What each host holds of the data: its share, and what must be alike on every host. */
    record Shares(boolean sharded, Dataset train, Dataset validation) {}

    private final EnsembleTrainer trainer;
    private final Team team;
    private final UnitStore store;
    private final PrintStream out;
    private final Consumer<String> log;
    private final List<XGBoostTracker> trackers = new ArrayList<>();

    /** Every fold unit's outcome, read once by the leader when it plans the second phase. */
    private final Map<Unit, FoldOutcome> foldOutcomes = new LinkedHashMap<>();

    private int trainedHere;
    private int fromCheckpoint;

    /** The outcome on the leader; null on the others. */
    record Outcome(EnsembleTrainer.Result result) {}

    EnsembleRun(
            EnsembleTrainer trainer,
            Team team,
            UnitStore store,
            PrintStream out,
            Consumer<String> log) {
        this.trainer = trainer;
        this.team = team;
        this.store = store;
        this.out = out;
        this.log = log;
    }

    /**
     * Refuses what would leave rows out or disagree between hosts when each host holds only its own
     * files of the train channel (ShardedByS3Key on several hosts).
     */
    static void checkSharded(EnsembleTrainer trainer, Dataset train, boolean validation) {
        List<String> problems = new ArrayList<>();
        if (!validation) {
            problems.add(
                    "k-fold cross-validation needs every row on the host that trains a fold: give a "
                            + "FullyReplicated 'validation' channel");
        }
        for (EnsembleTrainer.Entry e : trainer.entries()) {
            if (!e.trainer().dataParallel()) {
                problems.add(
                        e.name()
                                + " trains a whole model on one host, which would see only its own files: "
                                + "drop it from members");
            }
        }
        for (int c = 0; c < train.schema().size(); c++) {
            if (train.schema().feature(c).kind() == FeatureKind.CATEGORICAL) {
                problems.add(
                        "categorical column '"
                                + train.schema().feature(c).name()
                                + "' would be coded from each host's own files, differently per host");
                break;
            }
        }
        if (!problems.isEmpty()) {
            throw new JobFailure(
                    "channel 'train' is ShardedByS3Key, so each host holds only its own files, and: "
                            + String.join("; ", problems)
                            + ". Or use S3DistributionType FullyReplicated");
        }
    }

    /** The rows a host trains on in data-parallel training when every host holds every row. */
    static int[] replicatedShare(int rows, int host, int hosts) {
        int from = (int) ((long) rows * host / hosts);
        int to = (int) ((long) rows * (host + 1) / hosts);
        int[] share = new int[to - from];
        for (int i = 0; i < share.length; i++) {
            share[i] = from + i;
        }
        return share;
    }

    Outcome run(Shares data, Map<String, Object> summary) throws MemberException, IOException {
        Dataset train = data.train();
        Dataset validation = data.validation();
        var cluster = team.cluster();
        Set<String> held = team.join(summary);
        if (cluster.size() > 1) {
            log.accept(
                    "joined "
                            + cluster.size()
                            + " hosts "
                            + cluster.hosts()
                            + " led by "
                            + cluster.leader()
                            + (held.isEmpty()
                                    ? ""
                                    : "; the leader holds "
                                            + held.size()
                                            + " units from checkpoints"));
        }
        List<Unit> folds = trainer.foldUnits(validation != null);
        try (TrainingStop.Cooperation c = TrainingStop.cooperating()) {
            int[][] heldOut = folds.isEmpty() ? null : trainer.heldOut(train);
            for (Unit u : folds) {
                // Diagonal turns: each host gets every member on some folds, so that a slow member
                // does not land on one host.
                if ((u.fold() + u.member()) % cluster.size() == cluster.index()) {
                    runUnit(
                            u,
                            held,
                            () ->
                                    store.saveFold(
                                            id(u),
                                            trainer.trainFold(
                                                    u,
                                                    train,
                                                    heldOut,
                                                    FitRequest.ALONE.keepingStateIn(
                                                            store.partial(id(u))))));
                }
            }
            // Final units that need nothing from the folds or the other hosts train alongside
            // them; the leader then has their validation predictions for the round lines.
            List<Unit> independent = new ArrayList<>();
            List<Unit> dependent = new ArrayList<>();
            for (Unit u : trainer.finalUnits()) {
                MemberTrainer t = trainer.entries().get(u.member()).trainer();
                (t.dataParallel() || t.stopsEarly() ? dependent : independent).add(u);
            }
            int turn = 0;
            for (Unit u : independent) {
                if (finalTurn(turn++) == cluster.index()) {
                    trainFinalHere(u, held, train, FitRequest.ALONE);
                }
            }
            Set<String> firstPhase = ids(folds);
            firstPhase.addAll(ids(independent));
            team.awaitUnits(firstPhase);
            Map<String, Object> second =
                    team.secondPhase(() -> secondPhase(folds, held, data.sharded()));
            @SuppressWarnings("unchecked")
            Map<String, Integer> rounds = (Map<String, Integer>) second.get("rounds");
            @SuppressWarnings("unchecked")
            Map<String, Map<String, Object>> trackers =
                    (Map<String, Map<String, Object>>) second.get("trackers");
            @SuppressWarnings("unchecked")
            Map<String, Object> grids = (Map<String, Object>) second.get("grids");
            for (Unit u : dependent) {
                String id = id(u);
                FitRequest request = FitRequest.ALONE.withRounds(rounds.getOrDefault(id, 0));
                if (validation != null) {
                    // Members that train in rounds report each (and may stop early on it).
                    request =
                            request.evaluatedOn(
                                    validation,
                                    cluster.isLeader()
                                            ? roundLines(u, validation, independent)
                                            : RoundListener.NONE);
                }
                if (trackers.containsKey(id)) {
                    int[] share =
                            data.sharded()
                                    ? null
                                    : replicatedShare(
                                            train.rows(), cluster.index(), cluster.size());
                    if (grids.containsKey(id)) {
                        request =
                                request.onGrid(
                                        Json.MAPPER.convertValue(grids.get(id), float[][].class));
                    }
                    collective(u, train, request.together(share, trackers.get(id)));
                } else if (collectiveMember(u) && held.contains(id)) {
                    log.accept(id + ": held by the leader (checkpoint), not trained again");
                } else if (finalTurn(turn++) == cluster.index()) {
                    trainFinalHere(u, held, train, request);
                }
            }
            team.awaitUnits(ids(trainer.finalUnits()));
        }
        log.accept(
                cluster.current()
                        + ": "
                        + trainedHere
                        + " units trained here, "
                        + fromCheckpoint
                        + " taken from checkpoints");
        if (!cluster.isLeader()) {
            return null;
        }
        return new Outcome(assemble(train, validation));
    }

    /**
     * Stops the leader's XGBoost trackers: only once every host is done, since a worker leaving
     * XGBoost's collective still says goodbye to the tracker.
     */
    @Override
    public void close() {
        trackers.forEach(XGBoostTracker::close);
    }

    /** The leader's ensemble from every unit: fold outcomes as the second phase read them. */
    private EnsembleTrainer.Result assemble(Dataset train, Dataset validation)
            throws IOException, MemberException {
        List<MemberModel> models = new ArrayList<>();
        try {
            for (Unit u : trainer.finalUnits()) {
                models.add(store.loadModel(id(u), train.schema(), train.target()));
            }
            return trainer.assemble(foldOutcomes, models, train, validation);
        } catch (IOException | MemberException | RuntimeException e) {
            models.forEach(MemberModel::close);
            throw e;
        }
    }

    /**
     * The leader's plan for training on all rows: the rounds of members that stopped early in the
     * folds, and an XGBoost tracker for each data-parallel member on several hosts.
     */
    private Map<String, Object> secondPhase(List<Unit> folds, Set<String> held, boolean sharded) {
        try {
            for (Unit u : folds) {
                foldOutcomes.put(u, store.loadFold(id(u)));
            }
            Map<String, Integer> rounds = new LinkedHashMap<>();
            Map<String, Map<String, Object>> trackers = new LinkedHashMap<>();
            Map<String, float[][]> grids = new LinkedHashMap<>();
            for (Unit u : trainer.finalUnits()) {
                int r = trainer.finalRounds(u.member(), foldOutcomes);
                if (r > 0) {
                    rounds.put(id(u), r);
                    log.accept(
                            id(u)
                                    + ": "
                                    + r
                                    + " rounds, the mean the folds kept before stopping early");
                }
                if (collectiveMember(u) && !held.contains(id(u))) {
                    var cluster = team.cluster();
                    XGBoostTracker tracker =
                            XGBoostTracker.start(
                                    cluster.size(), cluster.leaderAddress(), cluster.joinTimeout());
                    this.trackers.add(tracker);
                    trackers.put(id(u), tracker.workerArguments());
                    int points = trainer.entries().get(u.member()).trainer().gridPoints();
                    if (sharded && points > 0) {
                        // Each host holds only its files: the grid one host would take from every
                        // row comes from every host's counts.
                        grids.put(
                                id(u),
                                FeatureGrid.fromCounts(
                                        HostData.allValues(team.summaries()), points));
                    }
                    log.accept(
                            id(u)
                                    + ": XGBoost's tracker listens at "
                                    + tracker.workerArguments().get("dmlc_tracker_uri")
                                    + ":"
                                    + tracker.workerArguments().get("dmlc_tracker_port"));
                }
            }
            return Map.of("rounds", rounds, "trackers", trackers, "grids", grids);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (MemberException e) {
            throw new JobFailure(e.getMessage(), e);
        }
    }

    private boolean collectiveMember(Unit u) {
        return team.cluster().size() > 1
                && trainer.entries().get(u.member()).trainer().dataParallel();
    }

    /** A data-parallel final unit: every host trains, the leader keeps the model. */
    private void collective(Unit u, Dataset train, FitRequest request) throws IOException {
        MemberFit fit;
        try {
            fit = trainer.trainFinal(u, train, request);
        } catch (MemberException e) {
            // Losing a peer mid-collective breaks every host's training: a consequence, unless no
            // host turns out to be the cause.
            team.failed(trainer.describe(u) + " (with the other hosts): " + e.getMessage(), true);
            throw new JobFailure(e.getMessage(), e);
        }
        trainedHere++;
        try (MemberModel model = fit.model()) {
            if (team.cluster().isLeader()) {
                store.saveModel(id(u), model, fit.keptRounds());
            }
        }
    }

    /** A final unit this host trains alone, keeping its model (and its rounds, if stopped). */
    private void trainFinalHere(Unit u, Set<String> held, Dataset train, FitRequest request)
            throws MemberException, IOException {
        runUnit(
                u,
                held,
                () ->
                        saveFinal(
                                u,
                                trainer.trainFinal(
                                        u, train, request.keepingStateIn(store.partial(id(u))))));
    }

    private void saveFinal(Unit u, MemberFit fit) throws IOException {
        try (MemberModel model = fit.model()) {
            store.saveModel(id(u), model, fit.keptRounds());
        }
    }

    private interface Work {
        void run() throws MemberException, IOException;
    }

    /**
     * Trains a unit unless the leader or this host's checkpoints hold it; hands it to the leader.
     */
    private void runUnit(Unit u, Set<String> held, Work work) throws MemberException, IOException {
        String id = id(u);
        if (held.contains(id)) {
            fromCheckpoint++;
            log.accept(trainer.describe(u) + ": from checkpoint (held by the leader)");
            return;
        }
        if (store.holds(id)) {
            fromCheckpoint++;
            log.accept(trainer.describe(u) + ": from checkpoint");
        } else {
            if (Files.isRegularFile(store.partial(id))) {
                log.accept(trainer.describe(u) + ": goes on from the rounds a stopped job saved");
            }
            work.run();
            trainedHere++;
        }
        team.deliver(id, store.folder(id));
    }

    /** Final units take turns from the last host, which has the fewest fold units. */
    private int finalTurn(int turn) {
        int hosts = team.cluster().size();
        return hosts - 1 - turn % hosts;
    }

    /**
     * The leader's round lines for a member training on all rows: its own figure each round and,
     * when every other member is already trained, the whole ensemble's figures had it stopped at
     * that round.
     */
    private RoundListener roundLines(Unit u, Dataset validation, List<Unit> trained) {
        List<Predictions> others = new ArrayList<>();
        for (int m = 0; m < trainer.entries().size(); m++) {
            others.add(null);
        }
        for (Unit t : trained) {
            try (MemberModel model =
                    store.loadModel(id(t), validation.schema(), validation.target())) {
                others.set(t.member(), model.predict(validation.features()));
            } catch (IOException | MemberException e) {
                throw new JobFailure("cannot read back " + id(t) + ": " + e.getMessage(), e);
            }
        }
        long missing = others.stream().filter(p -> p == null).count();
        String member = trainer.entries().get(u.member()).name();
        return (round, figures, predictions) -> {
            Map<String, Double> ensemble = null;
            if (missing == 1) {
                List<Predictions> all = new ArrayList<>(others);
                all.set(u.member(), predictions.get());
                ensemble = trainer.ensembleFigures(all, validation);
            }
            MetricLines.roundLines(member, round, figures, ensemble).forEach(out::println);
            out.flush();
        };
    }

    /**
     * A unit's name in checkpoints and between hosts: {@code xgboost-fold-2}, {@code catboost-all}.
     */
    String id(Unit u) {
        String name = trainer.entries().get(u.member()).name();
        return u.isFinal() ? name + "-all" : name + "-fold-" + (u.fold() + 1);
    }

    private Set<String> ids(List<Unit> units) {
        Set<String> out = new LinkedHashSet<>();
        units.forEach(u -> out.add(id(u)));
        return out;
    }
}
