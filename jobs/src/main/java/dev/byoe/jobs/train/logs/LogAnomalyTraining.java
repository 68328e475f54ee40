package dev.byoe.jobs.train.logs;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.byoe.core.JobFailure;
import dev.byoe.core.Json;
import dev.byoe.core.Version;
import dev.byoe.jobs.contract.ChannelConfig;
import dev.byoe.jobs.contract.MlPaths;
import dev.byoe.jobs.contract.TrainingJobConfig;
import dev.byoe.jobs.process.LogProcessor;
import dev.byoe.jobs.train.Task;
import dev.byoe.jobs.train.data.ChannelSource;
import dev.byoe.jobs.train.metrics.MetricLines;
import dev.byoe.logs.LogParser;
import dev.byoe.logs.ProcessOptions;
import dev.byoe.model.anomaly.LogAnomalyModel;
import dev.byoe.model.member.MemberException;
import dev.byoe.training.anomaly.AnomalyMemberType;
import dev.byoe.training.anomaly.AnomalyRegistry;
import dev.byoe.training.anomaly.LabelledSessions;
import dev.byoe.training.anomaly.LogEnsembleTrainer;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A {@code task=log_anomaly} training job: every member trained on data read once, calibrated,
 * averaged (see {@link LogEnsembleTrainer}). Channels: {@code train} (sessions, as {@code process}
 * writes them; anomalous sessions are left out of what the unsupervised members learn), optional
 * {@code validation} (labelled sessions: precision, recall and F1 per member and for the model),
 * optional {@code drain} ({@code drain.json} from {@code process}, so the endpoint can take raw log
 * lines). DeepLog reports every epoch and checkpoints to {@code /opt/ml/checkpoints}.
 */
public final class LogAnomalyTraining {
    private static final ObjectMapper JSON = Json.MAPPER;

    private final MlPaths paths;
    private final PrintStream out;
    private final PrintStream log;

    public LogAnomalyTraining(MlPaths paths, PrintStream out, PrintStream log) {
        this.paths = paths;
        this.out = out;
        this.log = log;
    }

    public void train(TrainingJobConfig job) throws MemberException, IOException {
        long start = System.nanoTime();
        LogAnomalySpec spec = LogAnomalySpec.parse(job.hyperparameters(), w -> info("note: " + w));
        checkTuningObjective(spec);
        ChannelConfig trainChannel = job.channels().get("train");
        ParsedLogs parsed = null;
        List<ChannelSource> trainSources;
        if (trainChannel != null) {
            trainSources = ChannelSource.of(paths, trainChannel);
        } else if (job.channels().containsKey("logs")) {
            parsed = parseRawLogs(job, spec);
            trainSources = List.of(ChannelSource.file("logs", parsed.sessions()));
        } else {
            throw new JobFailure(
                    "missing channel 'train' (sessions) or 'logs' (raw logs); the job has channels "
                            + job.channels().keySet());
        }
        LabelledSessions train = SessionTableReader.read(trainSources, spec);
        info(
                String.format(
                        Locale.ROOT,
                        "read %d sessions (%d labelled anomalous) from channel 'train'",
                        train.size(),
                        train.count(1)));
        LabelledSessions validation = null;
        List<ChannelSource> validationSources = null;
        Map<String, Object> heldOut = null;
        if (!job.channels().containsKey("validation")
                && spec.validationFraction() > 0
                && train.count(1) > 0
                && train.count(0) > 0) {
            // Labelled sessions and no validation channel: a stratified, seeded cut of them is
            // held out, so that the job reports validation metrics (what tuning jobs and
            // MetricDefinitions read) on sessions no member or threshold was fitted on.
            int[][] parts =
                    LogEnsembleTrainer.stratifiedSplit(
                            train.labels(), spec.validationFraction(), spec.seed() + 1);
            validation = train.select(parts[1]);
            train = train.select(parts[0]);
            info(
                    String.format(
                            Locale.ROOT,
                            "no 'validation' channel: held out %d of the labelled training sessions "
                                    + "(%d anomalous, %d normal; validation_fraction=%s, 0 to keep them all) as validation",
                            validation.size(),
                            validation.count(1),
                            validation.count(0),
                            spec.validationFraction()));
            heldOut = new LinkedHashMap<>();
            heldOut.put("held_out_from", "train");
            heldOut.put("validation_fraction", spec.validationFraction());
            heldOut.put("sessions", validation.size());
            heldOut.put("anomalous", validation.count(1));
        } else if (job.channels().containsKey("validation")) {
            validationSources = ChannelSource.of(paths, job.channels().get("validation"));
            validation = SessionTableReader.read(validationSources, spec);
            info(
                    String.format(
                            Locale.ROOT,
                            "read %d sessions (%d anomalous, %d normal) from channel 'validation'",
                            validation.size(),
                            validation.count(1),
                            validation.count(0)));
            if (!validation.hasLabels()) {
                info(
                        "note: the validation sessions have no labels; no validation metrics will be printed");
            }
        }
        LogParser parser =
                parsed != null
                        ? parsed.parser()
                        : job.channels().containsKey("drain")
                                ? readParser(job.channels().get("drain"))
                                : null;
        String sessionRegex = parsed != null ? parsed.sessionRegex() : spec.sessionIdRegex();
        if (parser != null && sessionRegex == null) {
            info(
                    "note: the logs were cut into time windows, which raw lines sent to an endpoint cannot be; "
                            + "the endpoint will take sessions, not raw lines");
            parser = null;
        }
        int events =
                Math.max(train.sessions().eventSpan(), parser == null ? 1 : parser.events().size());

        int threads = Runtime.getRuntime().availableProcessors();
        List<LogEnsembleTrainer.Entry> entries = new ArrayList<>();
        for (String m : spec.members()) {
            AnomalyMemberType type = AnomalyRegistry.require(m);
            entries.add(
                    new LogEnsembleTrainer.Entry(
                            m,
                            type,
                            type.trainer(spec.settingsFor(m, threads)),
                            spec.weights().get(m)));
        }
        ObjectNode manifest = JSON.createObjectNode();
        LogEnsembleTrainer trainer =
                new LogEnsembleTrainer(
                        entries,
                        new LogEnsembleTrainer.Settings(
                                spec.calibrationFraction(),
                                spec.decisionThreshold(),
                                spec.falsePositiveRate(),
                                spec.seed()),
                        this::info);
        LogEnsembleTrainer.Result result =
                trainer.fit(
                        train,
                        validation,
                        events,
                        paths.checkpoints(),
                        (member, epoch, figures) -> epochLine(spec, member, epoch, figures),
                        parser,
                        parser == null ? null : Pattern.compile(sessionRegex),
                        manifest);
        try (LogAnomalyModel model = result.model()) {
            if (result.ensemble() != null) {
                for (String line :
                        MetricLines.detectionLines(result.members(), result.ensemble())) {
                    out.println(line);
                }
                out.flush();
            }
            manifest.put("byoe_version", Version.get());
            manifest.put("created", Instant.now().toString());
            manifest.put("task", Task.log_anomaly.name());
            manifest.put(
                    "verdict",
                    "anomalous when the weighted average of the members' calibrated probabilities is above "
                            + "decision_threshold");
            manifest.set("hyperparameters", JSON.valueToTree(spec.raw()));
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("training_job", System.getenv().getOrDefault("TRAINING_JOB_NAME", "local"));
            data.put("train", provenance(trainSources, train));
            if (validationSources != null) {
                data.put("validation", provenance(validationSources, validation));
            } else if (heldOut != null) {
                data.put("validation", heldOut);
            }
            manifest.set("data", JSON.valueToTree(data));
            if (result.ensemble() != null) {
                manifest.set("evaluation", JSON.valueToTree(result.ensemble()));
            }
            ObjectNode details = manifest.putObject("member_details");
            for (String m : spec.members()) {
                ObjectNode d = details.putObject(m);
                d.set("hyperparameters", JSON.valueToTree(spec.memberHyperparameters().get(m)));
                if (result.members().containsKey(m)) {
                    d.set("evaluation", JSON.valueToTree(result.members().get(m)));
                }
            }
            paths.clearModelMembers();
            model.save(paths.model());
        }
        info(
                String.format(
                        Locale.ROOT,
                        "model written to %s in %.1f s",
                        paths.model(),
                        (System.nanoTime() - start) / 1e9));
    }

    /** Raw logs parsed inside the job: the sessions file, the frozen parser, the session rule. */
    private record ParsedLogs(java.nio.file.Path sessions, LogParser parser, String sessionRegex) {}

    /**
     * A {@code logs} channel of raw log files (and an optional {@code labels} channel, a CSV of
     * {@code id,label}) is parsed here exactly as {@code byoe process} would, with the options in
     * {@code process_options}, so one job goes from raw logs to a model.
     */
    private ParsedLogs parseRawLogs(TrainingJobConfig job, LogAnomalySpec spec) throws IOException {
        java.nio.file.Path work = Files.createTempDirectory("byoe-logs");
        List<String> args = new ArrayList<>(ProcessOptions.words(spec.processOptions()));
        args.addAll(List.of("--structured", "false"));
        if (job.channels().containsKey("labels")) {
            List<ChannelSource> labels = ChannelSource.of(paths, job.channels().get("labels"));
            if (labels.size() != 1) {
                throw new JobFailure(
                        "channel 'labels' should hold one CSV of id,label; it has "
                                + labels.stream().map(ChannelSource::displayName).toList());
            }
            java.nio.file.Path copy = work.resolve("labels.csv");
            try (var in = labels.getFirst().open()) {
                Files.copy(in, copy);
            }
            args.addAll(List.of("--labels", copy.toString()));
        }
        ProcessOptions options =
                ProcessOptions.parse(
                        args.toArray(new String[0]),
                        List.of(paths.channel("logs")),
                        work.resolve("processed"));
        try {
            var summary = new LogProcessor(options).run();
            info(
                    "parsed the raw logs of channel 'logs': "
                            + summary.get("lines")
                            + " lines, "
                            + summary.get("events")
                            + " events, "
                            + summary.get("sessions")
                            + " sessions");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new JobFailure("interrupted while parsing the raw logs");
        }
        return new ParsedLogs(
                work.resolve("processed/sessions.csv"),
                LogParser.load(work.resolve("processed/drain.json")),
                options.sessionId() == null ? null : options.sessionId().pattern());
    }

    private void epochLine(
            LogAnomalySpec spec, String member, int epoch, Map<String, Double> figures) {
        for (String line :
                MetricLines.epochLines(member, epoch, figures, spec.members().size() == 1)) {
            out.println(line);
        }
        out.flush();
    }

    private LogParser readParser(ChannelConfig channel) {
        List<ChannelSource> files = ChannelSource.of(paths, channel);
        ChannelSource pick =
                files.stream()
                        .filter(f -> f.displayName().endsWith("drain.json"))
                        .findFirst()
                        .orElse(files.size() == 1 ? files.getFirst() : null);
        if (pick == null) {
            throw new JobFailure(
                    "channel 'drain' should hold drain.json (written by byoe process); it has "
                            + files.stream().map(ChannelSource::displayName).toList());
        }
        try {
            Path tmp = Files.createTempFile("byoe-drain", ".json");
            try (var in = pick.open()) {
                Files.copy(in, tmp, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
            LogParser parser = LogParser.load(tmp);
            Files.deleteIfExists(tmp);
            info(
                    "read the Drain parser ("
                            + (parser.events().size() - 1)
                            + " events) from "
                            + pick.displayName());
            return parser;
        } catch (IOException | RuntimeException e) {
            throw new JobFailure(
                    "cannot read the Drain parser " + pick.displayName() + ": " + e.getMessage(),
                    e);
        }
    }

    private void checkTuningObjective(LogAnomalySpec spec) {
        String metric = spec.tuningObjectiveMetric();
        if (metric == null) {
            return;
        }
        List<String> known =
                MetricLines.detectionDefinitions(spec.members()).stream()
                        .map(MetricLines.Definition::name)
                        .toList();
        if (!known.contains(metric)) {
            info(
                    "note: tuning objective '"
                            + metric
                            + "' is not a metric byoe prints for task=log_anomaly; it prints "
                            + known);
        }
    }

    private static Map<String, Object> provenance(
            List<ChannelSource> sources, LabelledSessions data) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("channel", sources.getFirst().channel());
        p.put("sessions", data.size());
        p.put("anomalous", data.count(1));
        p.put("files", sources.stream().map(ChannelSource::provenance).toList());
        return p;
    }

    private void info(String message) {
        log.println(message);
        log.flush();
    }
}
