package dev.byoe.bench.tools;

import dev.byoe.core.Json;
import dev.byoe.model.anomaly.AnomalyDetector;
import dev.byoe.model.anomaly.SessionBatch;
import dev.byoe.model.anomaly.deeplog.DeepLogDetector;
import dev.byoe.model.anomaly.deeplog.LstmForward;
import dev.byoe.training.anomaly.AnomalyMemberType;
import dev.byoe.training.anomaly.AnomalyRegistry;
import dev.byoe.training.anomaly.DetectionMetrics;
import dev.byoe.training.anomaly.LabelledSessions;
import dev.byoe.training.anomaly.LogEnsembleTrainer;
import dev.byoe.training.anomaly.TrainingContext;
import dev.byoe.training.anomaly.deeplog.DeepLogMember;
import dev.byoe.training.anomaly.pca.PcaMember;
import dev.byoe.training.member.HyperparameterDefinition;
import dev.byoe.training.member.MemberSettings;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.zip.GZIPInputStream;

/**
 * Accuracy and speed of the log members: PCA and DeepLog on HDFS_100k's Split column and on the
 * DeepLog paper's HDFS key sequences, DeepLog training speed (one thread) and inference speed (one
 * thread, with and without the window cache). Usage: {@code LogAnomalyBench <shared data dir>
 * <results.json>}.
 */
public final class LogAnomalyBench {
    private LogAnomalyBench() {}

    public static void main(String[] args) throws Exception {
        Path data = Path.of(args.length > 0 ? args[0] : "../shared/data");
        Path out = Path.of(args.length > 1 ? args[1] : "bench/log-anomaly-results.json");
        Path hdfs = data.resolve("hdfs/HDFS_100k_sessions.csv");
        if (!Files.isRegularFile(hdfs)) {
            System.out.println(hdfs + " not found; log anomaly benchmark skipped.");
            return;
        }
        Map<String, Object> results = new LinkedHashMap<>();
        results.put("java", System.getProperty("java.version"));
        results.put("hdfs_100k", hdfs100k(hdfs));
        Path deeplog = data.resolve("deeplog");
        if (Files.isRegularFile(deeplog.resolve("hdfs_train"))) {
            results.put("deeplog_hdfs", deeplogSequences(deeplog));
        }
        String json = Json.INDENTED.writeValueAsString(results);
        Files.writeString(out, json);
        System.out.println(json);
    }

    private static Map<String, Object> hdfs100k(Path file) throws Exception {
        LabelledSessions train;
        LabelledSessions test;
        List<String>[] ids = new List[] {new ArrayList<>(), new ArrayList<>()};
        List<int[]>[] seq = new List[] {new ArrayList<>(), new ArrayList<>()};
        List<Integer>[] lab = new List[] {new ArrayList<>(), new ArrayList<>()};
        List<String> lines = Files.readAllLines(file);
        for (String l : lines.subList(1, lines.size())) {
            String[] f = l.split(",");
            int part = f[2].equals("train") ? 0 : 1;
            ids[part].add(f[0]);
            seq[part].add(SessionBatch.parseSequence(f[4]));
            lab[part].add(Integer.parseInt(f[1]));
        }
        train = sessions(ids[0], seq[0], lab[0]);
        test = sessions(ids[1], seq[1], lab[1]);
        int events = Math.max(train.sessions().eventSpan(), test.sessions().eventSpan());
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("train_sessions", train.size());
        r.put("test_sessions", test.size());
        r.put("test_anomalies", java.util.Arrays.stream(test.labels()).filter(x -> x == 1).count());
        AnomalyDetector pca = trainMember(new PcaMember(), Map.of(), train, null, events, r, "pca");
        r.put("pca", metrics(pca, test));
        AnomalyDetector deeplog =
                trainMember(new DeepLogMember(), Map.of(), train, null, events, r, "deeplog");
        r.put("deeplog", metrics(deeplog, test));
        // top_g=0: DeepLog learns from 80% of the train split and picks g on the other 20% (with
        // its labels); the test split is never looked at.
        int[] order =
                java.util.stream.IntStream.range(0, train.size())
                        .boxed()
                        .collect(
                                java.util.stream.Collectors.collectingAndThen(
                                        java.util.stream.Collectors.toList(),
                                        l -> {
                                            java.util.Collections.shuffle(l, new Random(7));
                                            return l;
                                        }))
                        .stream()
                        .mapToInt(Integer::intValue)
                        .toArray();
        int cut = order.length * 4 / 5;
        LabelledSessions fit = train.select(java.util.Arrays.copyOfRange(order, 0, cut));
        LabelledSessions held =
                train.select(java.util.Arrays.copyOfRange(order, cut, order.length));
        AnomalyDetector tuned =
                trainMember(
                        new DeepLogMember(),
                        Map.of("top_g", "0"),
                        fit,
                        held,
                        events,
                        r,
                        "deeplog_top_g_chosen");
        r.put("deeplog_top_g_chosen", metrics(tuned, test));
        int[] any = pca.score(test.sessions()).labels();
        int[] d = deeplog.score(test.sessions()).labels();
        for (int i = 0; i < any.length; i++) {
            any[i] |= d[i];
        }
        r.put("pca_or_deeplog", DetectionMetrics.of(any, test.labels()).asMap());
        r.put("deeplog_inference", inference((DeepLogDetector) deeplog, test.sessions(), events));
        r.put("ensemble", ensemble(train, test, events));
        return r;
    }

    /**
     * The log-anomaly job's own path: PCA, DeepLog, XGBoost and CatBoost on the train split (20% of
     * it held out for calibration and the threshold), scored on the test split: each member alone
     * (calibrated, with its own best-F1 threshold) and the weighted average.
     */
    private static Map<String, Object> ensemble(
            LabelledSessions train, LabelledSessions test, int events) throws Exception {
        List<LogEnsembleTrainer.Entry> entries = new ArrayList<>();
        for (String name : List.of("pca", "deeplog", "xgboost", "catboost")) {
            AnomalyMemberType type = AnomalyRegistry.require(name);
            Map<String, Object> hp = new HashMap<>();
            for (HyperparameterDefinition d : type.hyperparameters()) {
                if (d.defaultValue() != null) {
                    hp.put(d.name(), d.parse(d.defaultValue()));
                }
            }
            entries.add(
                    new LogEnsembleTrainer.Entry(
                            name, type, type.trainer(new MemberSettings(null, 42, 1, hp)), 1.0));
        }
        List<String> log = new ArrayList<>();
        long t = System.nanoTime();
        LogEnsembleTrainer.Result result =
                new LogEnsembleTrainer(
                                entries,
                                new LogEnsembleTrainer.Settings(0.2, 0, 0.01, 42),
                                log::add)
                        .fit(
                                train,
                                test,
                                events,
                                null,
                                (m, e, f) -> {},
                                null,
                                null,
                                Json.MAPPER.createObjectNode());
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("seconds", (System.nanoTime() - t) / 1e9);
        r.put("members_on_test", result.members());
        r.put("ensemble_on_test", result.ensemble());
        r.put("log", log);
        System.err.println("ensemble: " + r);
        return r;
    }

    private static Map<String, Object> deeplogSequences(Path dir) throws Exception {
        List<String> ids = new ArrayList<>();
        List<int[]> seqs = new ArrayList<>();
        for (String l : Files.readAllLines(dir.resolve("hdfs_train"))) {
            if (!l.isBlank()) {
                ids.add("n" + ids.size());
                seqs.add(SessionBatch.parseSequence(l));
            }
        }
        LabelledSessions train = sessions(ids, seqs, java.util.Collections.nCopies(ids.size(), 0));
        // Validation (for choosing g): logdeep's robust_log_valid, 1,000 normal + 1,000 abnormal
        // sessions in the same key space. Test: the abnormal sessions not in it, and the 6,000
        // normal sessions of robust_log_train (DeepLog's own normal test file is not public).
        List<String> validRows = Files.readAllLines(dir.resolve("logdeep_robust_log_valid.csv"));
        java.util.Set<String> inValidation = new java.util.HashSet<>();
        List<String> vIds = new ArrayList<>();
        List<int[]> vSeq = new ArrayList<>();
        List<Integer> vLab = new ArrayList<>();
        for (String l : validRows.subList(1, validRows.size())) {
            String seq = l.substring(0, l.lastIndexOf(',')).strip();
            inValidation.add(seq);
            vIds.add("v" + vIds.size());
            vSeq.add(SessionBatch.parseSequence(seq));
            vLab.add(l.strip().endsWith(",1") ? 1 : 0);
        }
        List<String> tIds = new ArrayList<>();
        List<int[]> tSeq = new ArrayList<>();
        List<Integer> tLab = new ArrayList<>();
        try (BufferedReader r =
                new BufferedReader(
                        new InputStreamReader(
                                new GZIPInputStream(
                                        Files.newInputStream(dir.resolve("hdfs_test_abnormal.gz"))),
                                StandardCharsets.UTF_8))) {
            String l;
            while ((l = r.readLine()) != null) {
                if (!l.isBlank() && !inValidation.contains(l.strip())) {
                    tIds.add("a" + tIds.size());
                    tSeq.add(SessionBatch.parseSequence(l));
                    tLab.add(1);
                }
            }
        }
        try (BufferedReader r =
                new BufferedReader(
                        new InputStreamReader(
                                new GZIPInputStream(
                                        Files.newInputStream(
                                                dir.resolve("logdeep_robust_log_train.csv.gz"))),
                                StandardCharsets.UTF_8))) {
            for (String l : r.lines().toList()) {
                if (l.strip().endsWith(",0")) {
                    tIds.add("n" + tIds.size());
                    tSeq.add(SessionBatch.parseSequence(l.substring(0, l.lastIndexOf(','))));
                    tLab.add(0);
                }
            }
        }
        LabelledSessions validation = sessions(vIds, vSeq, vLab);
        LabelledSessions test = sessions(tIds, tSeq, tLab);
        int events =
                Math.max(
                        train.sessions().eventSpan(),
                        Math.max(test.sessions().eventSpan(), validation.sessions().eventSpan()));
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("train_sessions", train.size());
        r.put("test_abnormal", tLab.stream().filter(x -> x == 1).count());
        r.put("test_normal", tLab.stream().filter(x -> x == 0).count());
        r.put("validation_sessions", validation.size());
        AnomalyDetector deeplog =
                trainMember(new DeepLogMember(), Map.of(), train, null, events, r, "deeplog");
        r.put("deeplog", metrics(deeplog, test));
        DeepLogDetector d = (DeepLogDetector) deeplog;
        int[] vRanks = d.anomalyRanks(validation.sessions());
        int[] tRanks = d.anomalyRanks(test.sessions());
        Map<String, Object> byG = new LinkedHashMap<>();
        int bestG = 9;
        double bestValidation = -1;
        for (int g = 1; g <= 15; g++) {
            double v = f1AtG(vRanks, validation.labels(), g);
            if (v >= bestValidation) {
                bestValidation = v;
                bestG = g;
            }
            byG.put(
                    Integer.toString(g),
                    Map.of("validation_f1", v, "test_f1", f1AtG(tRanks, test.labels(), g)));
        }
        r.put("deeplog_f1_by_g", byG);
        r.put("deeplog_g_chosen_on_validation", bestG);
        r.put("deeplog_top_g_chosen", metrics(d.withTopG(bestG), test));
        AnomalyDetector pca = trainMember(new PcaMember(), Map.of(), train, null, events, r, "pca");
        r.put("pca", metrics(pca, test));
        return r;
    }

    private static double f1AtG(int[] ranks, int[] labels, int g) {
        int[] p = new int[ranks.length];
        for (int i = 0; i < p.length; i++) {
            p[i] = ranks[i] >= g ? 1 : 0;
        }
        return DetectionMetrics.of(p, labels).f1();
    }

    private static LabelledSessions sessions(
            List<String> ids, List<int[]> seqs, List<Integer> labels) {
        return new LabelledSessions(
                new SessionBatch(ids, seqs.toArray(new int[0][])),
                labels.stream().mapToInt(Integer::intValue).toArray());
    }

    private static AnomalyDetector trainMember(
            AnomalyMemberType type,
            Map<String, String> overrides,
            LabelledSessions train,
            LabelledSessions validation,
            int events,
            Map<String, Object> r,
            String name)
            throws Exception {
        Map<String, Object> hp = new HashMap<>();
        for (HyperparameterDefinition d : type.hyperparameters()) {
            String v = overrides.getOrDefault(d.name(), d.defaultValue());
            if (v != null) {
                hp.put(d.name(), d.parse(v));
            }
        }
        List<Double> speeds = new ArrayList<>();
        List<Double> distinct = new ArrayList<>();
        List<String> log = new ArrayList<>();
        TrainingContext ctx =
                new TrainingContext(
                        events,
                        validation,
                        null,
                        log::add,
                        (m, e, f) -> {
                            speeds.add(f.get("windows-per-second"));
                            distinct.add(f.get("distinct-windows-per-second"));
                        });
        long t = System.nanoTime();
        AnomalyDetector d = type.trainer(new MemberSettings(null, 42, 1, hp)).train(train, ctx);
        Map<String, Object> timing = new LinkedHashMap<>();
        timing.put("seconds", (System.nanoTime() - t) / 1e9);
        if (!speeds.isEmpty()) {
            timing.put("epochs", speeds.size());
            timing.put("windows_per_second_median", median(speeds));
            timing.put("distinct_windows_per_second_median", median(distinct));
        }
        timing.put("log", log);
        r.put(name + "_training", timing);
        System.err.println(name + " trained: " + timing);
        return d;
    }

    private static double median(List<Double> v) {
        List<Double> s = new ArrayList<>(v);
        s.sort(null);
        return s.get(s.size() / 2);
    }

    private static Map<String, Double> metrics(AnomalyDetector d, LabelledSessions test) {
        Map<String, Double> m =
                DetectionMetrics.of(d.score(test.sessions()).labels(), test.labels()).asMap();
        System.err.println(d.type() + ": " + m);
        return m;
    }

    /**
     * Windows per second on this thread: the raw forward passes on random windows, then whole
     * sessions.
     */
    private static Map<String, Object> inference(
            DeepLogDetector trained, SessionBatch test, int events) throws Exception {
        Map<String, Object> r = new LinkedHashMap<>();
        LstmForward forward = trained.forward();
        int window = trained.settings().window();
        Random rnd = new Random(1);
        int n = 100_000;
        int[] inputs = rnd.ints((long) n * window, 0, events + 1).toArray();
        float[] out = new float[1000 * forward.weights().classes()];
        for (String kind : List.of("best", "scalar")) {
            LstmForward f = kind.equals("best") ? forward : LstmForward.scalar(forward.weights());
            for (int warm = 0; warm < 20; warm++) {
                f.logits(inputs, 0, 1000, window, out);
            }
            for (int warm = 0; warm < 20_000; warm++) {
                f.logits(inputs, (warm % 1000) * window, 1, window, out);
            }
            long t = System.nanoTime();
            for (int i = 0; i < n; i += 1000) {
                f.logits(inputs, i * window, 1000, window, out);
            }
            r.put(
                    "forward_" + f.kind() + "_windows_per_second",
                    n / ((System.nanoTime() - t) / 1e9));
            long t1 = System.nanoTime();
            for (int i = 0; i < 2000; i++) {
                f.logits(inputs, i * window, 1, window, out);
            }
            r.put(
                    "forward_" + f.kind() + "_single_window_microseconds",
                    (System.nanoTime() - t1) / 1e3 / 2000);
        }
        long windows = 0;
        for (int[] s : test.events()) {
            windows += s.length + 1;
        }
        Path dir = Files.createTempDirectory("byoe-deeplog-bench");
        trained.save(dir);
        AnomalyDetector cold = DeepLogDetector.FORMAT.load(dir);
        long t = System.nanoTime();
        cold.score(test);
        double first = (System.nanoTime() - t) / 1e9;
        t = System.nanoTime();
        for (int i = 0; i < 5; i++) {
            cold.score(test);
        }
        double warm = (System.nanoTime() - t) / 1e9 / 5;
        r.put("test_split_windows", windows);
        r.put("sessions_first_pass_windows_per_second", windows / first);
        r.put("sessions_cached_windows_per_second", windows / warm);
        System.err.println("inference: " + r);
        return r;
    }
}
