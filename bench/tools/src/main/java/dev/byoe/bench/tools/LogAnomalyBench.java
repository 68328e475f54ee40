package dev.byoe.bench.tools;

import dev.byoe.core.Json;
import dev.byoe.model.anomaly.AnomalyDetector;
import dev.byoe.model.anomaly.SessionBatch;
import dev.byoe.model.anomaly.deeplog.DeepLogDetector;
import dev.byoe.model.anomaly.deeplog.LstmForward;
import dev.byoe.training.anomaly.AnomalyMemberType;
import dev.byoe.training.anomaly.LabelledSessions;
import dev.byoe.training.anomaly.TrainingContext;
import dev.byoe.training.anomaly.deeplog.DeepLogMember;
import dev.byoe.training.member.HyperparameterDefinition;
import dev.byoe.training.member.MemberSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Speed of DeepLog: training on HDFS_100k's train split and on the DeepLog paper's key sequences
 * (one thread), inference (one thread, with and without the window cache). Accuracy is measured
 * through the endpoint by {@code bench/log-anomaly/evaluate.py}, never here. Usage: {@code
 * LogAnomalyBench <shared data dir> <results.json>}.
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
        AnomalyDetector deeplog = trainMember(new DeepLogMember(), train, events, r, "deeplog");
        r.put("deeplog_inference", inference((DeepLogDetector) deeplog, test.sessions(), events));
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
        // The key space has 28 keys (1..28; the abnormal sessions use all of them), 0 unknown.
        int events = 29;
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("train_sessions", train.size());
        AnomalyDetector deeplog = trainMember(new DeepLogMember(), train, events, r, "deeplog");
        deeplog.close();
        return r;
    }

    private static LabelledSessions sessions(
            List<String> ids, List<int[]> seqs, List<Integer> labels) {
        return new LabelledSessions(
                new SessionBatch(ids, seqs.toArray(new int[0][])),
                labels.stream().mapToInt(Integer::intValue).toArray());
    }

    private static AnomalyDetector trainMember(
            AnomalyMemberType type,
            LabelledSessions train,
            int events,
            Map<String, Object> r,
            String name)
            throws Exception {
        Map<String, Object> hp = new HashMap<>();
        for (HyperparameterDefinition d : type.hyperparameters()) {
            if (d.defaultValue() != null) {
                hp.put(d.name(), d.parse(d.defaultValue()));
            }
        }
        List<Double> speeds = new ArrayList<>();
        List<Double> distinct = new ArrayList<>();
        List<String> log = new ArrayList<>();
        TrainingContext ctx =
                new TrainingContext(
                        events,
                        null,
                        null,
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
        // Every implementation: the one serving uses, the other vector kernel, the scalar pass.
        for (LstmForward f : LstmForward.every(forward.weights())) {
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
