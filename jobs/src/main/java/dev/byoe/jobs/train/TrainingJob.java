package dev.byoe.jobs.train;

import dev.byoe.core.JobFailure;
import dev.byoe.core.Version;
import dev.byoe.core.data.Dataset;
import dev.byoe.core.data.FeatureKind;
import dev.byoe.core.data.Objective;
import dev.byoe.jobs.contract.ChannelConfig;
import dev.byoe.jobs.contract.FailureFile;
import dev.byoe.jobs.contract.MlPaths;
import dev.byoe.jobs.contract.TrainingJobConfig;
import dev.byoe.jobs.train.cluster.Cluster;
import dev.byoe.jobs.train.cluster.HostFailure;
import dev.byoe.jobs.train.cluster.NetworkCounters;
import dev.byoe.jobs.train.cluster.Team;
import dev.byoe.jobs.train.config.HyperparameterSpec;
import dev.byoe.jobs.train.data.ChannelFormat;
import dev.byoe.jobs.train.data.ChannelSource;
import dev.byoe.jobs.train.data.ReadOptions;
import dev.byoe.jobs.train.data.Table;
import dev.byoe.jobs.train.data.TableReader;
import dev.byoe.jobs.train.logs.LogAnomalyTraining;
import dev.byoe.jobs.train.metrics.MetricLines;
import dev.byoe.model.EnsembleModel;
import dev.byoe.model.artifact.Manifest;
import dev.byoe.model.member.MemberException;
import dev.byoe.model.member.MemberModel;
import dev.byoe.training.EnsembleTrainer;
import dev.byoe.training.Evaluation;
import dev.byoe.training.TrainingStop;
import dev.byoe.training.member.InvalidHyperparameterException;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * One SageMaker training job ({@code byoe train}). Reads {@code /opt/ml/input}, trains every member
 * on data read once, evaluates on the validation channel or by k-fold cross-validation, prints the
 * metric lines, and writes the members' native files and {@code manifest.json} to {@code
 * /opt/ml/model}. Any failure ends in {@code /opt/ml/output/failure} and a non-zero exit.
 */
public final class TrainingJob {
    static final String TRAIN_CHANNEL = "train";
    static final String VALIDATION_CHANNEL = "validation";

    private final MlPaths paths;
    private final PrintStream out;
    private final PrintStream log;
    private volatile Cluster cluster;
    private volatile Team team;
    private volatile UnitStore store;

    public TrainingJob(MlPaths paths, PrintStream out, PrintStream log) {
        this.paths = paths;
        this.out = out;
        this.log = log;
    }

    /**
     * SageMaker kills the job 120 s after SIGTERM; a trainer that checkpoints gets most of that.
     */
    static final Duration STOP_GRACE = Duration.ofSeconds(90);

    /**
     * Other steps (reading data, a native member) get this long to reach a boundary where the job
     * stops cleanly.
     */
    static final Duration SHORT_STOP_GRACE = Duration.ofSeconds(3);

    public static int run(Map<String, String> env, PrintStream out, PrintStream log) {
        TrainingJob command = new TrainingJob(MlPaths.fromEnvironment(env), out, log);
        CountDownLatch finished = new CountDownLatch(1);
        Thread hook =
                new Thread(
                        () -> {
                            // SIGTERM (StopTrainingJob, spot interruption, MaxRuntimeInSeconds)
                            // before the job ended:
                            // ask the trainers to stop at a safe point; they save checkpoints and
                            // report what was kept.
                            if (finished.getCount() > 0) {
                                command.log.println(
                                        "byoe train: SIGTERM, stopping at the next safe point");
                                command.log.flush();
                                TrainingStop.request();
                                try {
                                    Duration grace =
                                            TrainingStop.cooperative()
                                                    ? STOP_GRACE
                                                    : SHORT_STOP_GRACE;
                                    if (!finished.await(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                                        command.fail(
                                                "training was stopped (SIGTERM) in a step that cannot be interrupted (reading "
                                                        + "data or training a member without checkpoints); no model was written");
                                    }
                                } catch (InterruptedException e) {
                                    Thread.currentThread().interrupt();
                                }
                            }
                        },
                        "byoe-train-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            return command.run();
        } finally {
            finished.countDown();
        }
    }

    public int run() {
        try {
            train();
            return 0;
        } catch (TrainingStop.Stopped e) {
            failEverywhere(
                    "training was stopped (SIGTERM): "
                            + e.getMessage()
                            + "; no model was written"
                            + checkpointNote());
            return 1;
        } catch (JobFailure | InvalidHyperparameterException | MemberException e) {
            failEverywhere(e.getMessage());
            return 1;
        } catch (Throwable t) {
            t.printStackTrace(log);
            failEverywhere("internal error: " + t);
            return 2;
        }
    }

    /**
     * With other hosts, they hear of it and the verdict ends every host (this one included, in
     * {@link #verdict}); alone, it ends here.
     */
    private void failEverywhere(String reason) {
        Team joined = team;
        if (joined == null && cluster != null && cluster.size() > 1) {
            // Failed before the hosts joined (data, configuration): reach them all the same.
            joined = Team.forHost(cluster, UnitStore.EMPTY, this::verdict);
        }
        if (joined != null && joined.cluster().size() > 1) {
            joined.failed(reason, false);
        }
        fail(reason);
    }

    private String checkpointNote() {
        UnitStore s = store;
        if (s == null || !java.nio.file.Files.isDirectory(s.dir())) {
            return "";
        }
        return "; "
                + s.held().size()
                + " finished units are saved in "
                + s.dir()
                + ", and a job with the same data, hyperparameters and checkpoint location resumes from them";
    }

    private void fail(String reason) {
        log.println("byoe train failed: " + reason);
        log.flush();
        FailureFile.write(paths.failure(), reason);
    }

    private void train() throws MemberException, IOException {
        long start = System.nanoTime();
        TrainingJobConfig job = TrainingJobConfig.read(paths);
        if (Task.of(job.hyperparameters()) == Task.log_anomaly) {
            job.refuseShardedChannels();
            if (!job.isLeader()) {
                info(
                        job.currentHost()
                                + " is not the leader; the model trains on the leader only, nothing to do here");
                return;
            }
            new LogAnomalyTraining(paths, out, log).train(job);
            return;
        }
        HyperparameterSpec spec =
                HyperparameterSpec.parse(job.hyperparameters(), w -> info("note: " + w));
        checkTuningObjective(spec);
        cluster =
                new Cluster(
                        job.hosts().isEmpty() ? List.of(job.currentHost()) : job.hosts(),
                        job.currentHost(),
                        Cluster.parseAddresses(System.getenv(Cluster.ADDRESSES)),
                        spec.hostTimeout(),
                        spec.silenceTimeout());
        ChannelConfig trainChannel = job.channels().get(TRAIN_CHANNEL);
        if (trainChannel == null) {
            throw new JobFailure(
                    "missing channel '"
                            + TRAIN_CHANNEL
                            + "'; the job has channels "
                            + job.channels().keySet());
        }
        for (String name : job.channels().keySet()) {
            if (!Set.of(TRAIN_CHANNEL, VALIDATION_CHANNEL).contains(name)) {
                info(
                        "note: channel '"
                                + name
                                + "' is not used (byoe reads 'train' and optional 'validation')");
            }
        }
        ReadOptions options =
                new ReadOptions(
                        spec.objective(),
                        spec.targetColumn(),
                        spec.header(),
                        spec.categoricalColumns(),
                        spec.skipBadRows());
        Table train =
                TableReader.readTraining(sources(trainChannel), format(trainChannel), options);
        info(
                String.format(
                        Locale.ROOT,
                        "read %d rows x %d features from channel '%s' (label '%s')",
                        train.dataset().rows(),
                        train.dataset().schema().size(),
                        TRAIN_CHANNEL,
                        train.dataset().target().name()));
        reportSkipped(train, TRAIN_CHANNEL);
        List<String> warnings = nearUniqueColumns(train.dataset());
        warnings.forEach(w -> info("warning: " + w));
        Table validation = null;
        ChannelConfig validationChannel = job.channels().get(VALIDATION_CHANNEL);
        if (validationChannel != null) {
            validation =
                    TableReader.readLike(
                            sources(validationChannel), format(validationChannel), options, train);
            info(
                    "read "
                            + validation.dataset().rows()
                            + " rows from channel '"
                            + VALIDATION_CHANNEL
                            + "'");
            reportSkipped(validation, VALIDATION_CHANNEL);
        } else if (train.dataset().rows() < spec.kFold()) {
            throw new JobFailure(
                    "k_fold="
                            + spec.kFold()
                            + " needs at least that many rows; the train channel has "
                            + train.dataset().rows());
        }

        boolean sharded = trainChannel.isSharded() && cluster.size() > 1;
        if (trainChannel.isSharded() && cluster.size() == 1) {
            info(
                    "channel 'train' is ShardedByS3Key on one host: this host has every file, and "
                            + "trains on all of them");
        }
        if (validationChannel != null && validationChannel.isSharded() && cluster.size() > 1) {
            throw new JobFailure(
                    "channel 'validation' is ShardedByS3Key: the leader scores every validation row, "
                            + "so it must be FullyReplicated");
        }
        int threads = Runtime.getRuntime().availableProcessors();
        List<EnsembleTrainer.Entry> entries = new ArrayList<>();
        for (String m : spec.members()) {
            entries.add(
                    new EnsembleTrainer.Entry(
                            m,
                            dev.byoe.training.member.MemberRegistry.require(m)
                                    .trainer(spec.settingsFor(m, threads)),
                            spec.weights().get(m)));
        }
        EnsembleTrainer trainer =
                new EnsembleTrainer(entries, spec.kFold(), spec.seed(), this::info);
        if (sharded) {
            EnsembleRun.checkSharded(trainer, train.dataset(), validation != null);
        }
        HostData data = new HostData(train, validation, trainChannel, sharded);
        store =
                new UnitStore(
                        paths.checkpoints()
                                .resolve("byoe-units")
                                .resolve(data.checkpointKey(spec.raw(), cluster.size())));
        info(data.describeShare(cluster));
        NetworkCounters network = NetworkCounters.now();
        EnsembleRun.Outcome outcome;
        // Left open when training fails: the failure still has to reach the other hosts.
        Team joined = Team.forHost(cluster, store, this::verdict);
        team = joined;
        try (EnsembleRun run = new EnsembleRun(trainer, joined, store, out, this::info)) {
            outcome =
                    run.run(
                            new EnsembleRun.Shares(
                                    sharded,
                                    train.dataset(),
                                    validation == null ? null : validation.dataset()),
                            data.summary());
            if (outcome != null) {
                EnsembleTrainer.Result result = outcome.result();
                for (String line : MetricLines.lines(result.evaluation())) {
                    out.println(line);
                }
                out.flush();
                Manifest manifest =
                        manifest(
                                spec,
                                train,
                                validation,
                                result.evaluation(),
                                warnings,
                                data.clusterRecord(joined));
                writeModel(new EnsembleModel(manifest, result.models()));
                result.models().forEach(MemberModel::close);
            }
            joined.finished();
        }
        joined.close();
        NetworkCounters exchanged = NetworkCounters.now().since(network);
        if (cluster.size() > 1) {
            info(
                    String.format(
                            Locale.ROOT,
                            "network while training (all interfaces but loopback): received %d bytes, sent %d bytes",
                            exchanged.received(),
                            exchanged.sent()));
        }
        info(
                String.format(
                        Locale.ROOT,
                        "%s in %.1f s",
                        outcome == null
                                ? cluster.current()
                                        + " finished its share; the leader "
                                        + cluster.leader()
                                        + " wrote the model"
                                : "model written to " + paths.model(),
                        (System.nanoTime() - start) / 1e9));
    }

    /**
     * The job failed on some host: this host says which and why, and ends now, whatever native
     * training is still waiting on the host that is gone. The leader lingers a moment so that the
     * others hear the verdict from it.
     */
    private void verdict(HostFailure failure) {
        fail(failure.describe());
        if (team != null && team.cluster().isLeader()) {
            try {
                Thread.sleep(3 * Team.POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        Runtime.getRuntime().halt(1);
    }

    private void reportSkipped(Table table, String channel) {
        if (table.skippedRows() > 0) {
            info(
                    "skipped "
                            + table.skippedRows()
                            + " unusable rows in channel '"
                            + channel
                            + "' (bad_rows=skip); first: "
                            + String.join("; ", table.skippedExamples()));
        }
    }

    private static ChannelFormat format(ChannelConfig channel) {
        return ChannelFormat.of(channel.contentType(), channel.name());
    }

    private List<ChannelSource> sources(ChannelConfig channel) {
        return ChannelSource.of(paths, channel);
    }

    /** A tuning objective we never print would fail the tuning job late; say so up front. */
    private void checkTuningObjective(HyperparameterSpec spec) {
        String metric = spec.tuningObjectiveMetric();
        if (metric == null) {
            return;
        }
        Map<String, Boolean> names = MetricLines.ensembleMetricNames(spec.objective());
        boolean memberMetric =
                spec.members().stream().anyMatch(m -> metric.startsWith(m + ":validation:"));
        if (!names.containsKey(metric) && !memberMetric) {
            info(
                    "note: tuning objective '"
                            + metric
                            + "' is not a metric byoe prints for objective="
                            + spec.objective().id()
                            + "; byoe prints "
                            + names.keySet()
                            + " (see 'byoe metric-definitions --objective "
                            + spec.objective().id()
                            + "')");
        }
    }

    /**
     * Categorical columns with nearly one value per row (ids, timestamps as text): they cannot
     * generalise, and they are the columns most likely to leak the label, so the user hears of
     * them.
     */
    static List<String> nearUniqueColumns(Dataset data) {
        List<String> out = new ArrayList<>();
        var schema = data.schema();
        var batch = data.features();
        for (int c = 0; c < schema.size(); c++) {
            if (schema.feature(c).kind() != FeatureKind.CATEGORICAL) {
                continue;
            }
            int slot = schema.slot(c);
            Set<String> distinct = new HashSet<>();
            int present = 0;
            for (int r = 0; r < batch.rows(); r++) {
                String v = batch.categorical(r, slot);
                if (v != null) {
                    present++;
                    distinct.add(v);
                }
            }
            if (distinct.size() >= NEAR_UNIQUE_MIN_VALUES
                    && distinct.size() >= NEAR_UNIQUE_SHARE * present) {
                out.add(
                        String.format(
                                Locale.ROOT,
                                "column '%s' has %d distinct values in %d rows (near-unique, like an "
                                        + "id): it cannot generalise; leave it out unless it means something",
                                schema.feature(c).name(),
                                distinct.size(),
                                present));
            }
        }
        return out;
    }

    static final int NEAR_UNIQUE_MIN_VALUES = 50;
    static final double NEAR_UNIQUE_SHARE = 0.5;

    private Manifest manifest(
            HyperparameterSpec spec,
            Table train,
            Table validation,
            Evaluation evaluation,
            List<String> warnings,
            Map<String, Object> cluster) {
        List<Manifest.MemberEntry> members = new ArrayList<>();
        for (String m : spec.members()) {
            members.add(
                    new Manifest.MemberEntry(
                            m,
                            m,
                            spec.weights().get(m),
                            "members/" + m,
                            spec.memberHyperparameters().get(m),
                            evaluation.members().get(m)));
        }
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("training_job", System.getenv().getOrDefault("TRAINING_JOB_NAME", "local"));
        data.put("train", train.provenance());
        if (validation != null) {
            data.put("validation", validation.provenance());
        }
        data.put("columns", train.columns());
        data.put("label_column", train.targetIndex());
        if (!warnings.isEmpty()) {
            data.put("warnings", warnings);
        }
        data.put("cluster", cluster);
        Objective objective = spec.objective();
        return new Manifest(
                Manifest.FORMAT,
                Version.get(),
                Instant.now().toString(),
                objective.id(),
                new Manifest.TargetEntry(
                        train.dataset().target().name(), train.dataset().target().classes()),
                Manifest.featureEntries(train.dataset().schema()),
                members,
                spec.raw(),
                new Manifest.Evaluation(
                        evaluation.method(),
                        evaluation.folds(),
                        evaluation.rows(),
                        evaluation.ensemble()),
                data,
                train.libsvmIndexBase() >= 0 ? train.libsvmIndexBase() : null);
    }

    /** Replaces byoe's own files in the model folder and leaves anything else there alone. */
    private void writeModel(EnsembleModel model) throws IOException {
        paths.clearModelMembers();
        model.save(paths.model());
    }

    private void info(String message) {
        log.println(message);
        log.flush();
    }
}
