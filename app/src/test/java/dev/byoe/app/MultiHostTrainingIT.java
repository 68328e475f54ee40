package dev.byoe.app;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A training job on several hosts, each host a JVM of the real jar with its own {@code /opt/ml}, on
 * loopback ({@link Hosts}). The same jobs run as containers on a Docker network in {@link
 * ImageContainerCheck}.
 */
class MultiHostTrainingIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * How close a multi-host model's predictions must come to the one-host model's, as a share of
     * the label's standard deviation: the trees are the same, and only the order in which hosts'
     * histograms are summed may move a float.
     */
    static final double TOLERANCE = 1e-6;

    @TempDir Path tmp;
    private final List<Hosts> started = new ArrayList<>();

    @AfterEach
    void stopHosts() {
        started.forEach(Hosts::destroy);
    }

    /** Regression rows with many distinct values per feature, so that binning matters. */
    static String generated(int rows, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        StringBuilder sb = new StringBuilder("y,a,b,c,d,e\n");
        for (int i = 0; i < rows; i++) {
            double[] x = new double[5];
            for (int j = 0; j < x.length; j++) {
                x[j] = r.nextGaussian();
            }
            double y = 3 * x[0] + Math.sin(2 * x[1]) * 2 + x[2] * x[3] + 0.3 * r.nextGaussian();
            sb.append(String.format(Locale.ROOT, "%.6f", y));
            for (double v : x) {
                sb.append(String.format(Locale.ROOT, ",%.6f", v));
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    private Hosts hosts(String name, int count, Hosts.Setup setup) throws Exception {
        Hosts h = new Hosts(tmp.resolve(name), count, setup);
        started.add(h);
        return h;
    }

    /** {@code count} hosts, each with {@code hp} and the same train file. */
    private Hosts replicated(String name, int count, Map<String, String> hp, byte[] train)
            throws Exception {
        return hosts(
                name,
                count,
                (ml, i) -> ml.hyperparameters(hp).channel("train", Map.of("train.csv", train)));
    }

    private static Map<String, String> hp(String... kv) {
        Map<String, String> m = new HashMap<>();
        // Several JVMs share this machine's cores: one thread each keeps them from spinning
        // against each other (on SageMaker each host has its own).
        m.put("xgboost.nthread", "1");
        m.put("catboost.thread_count", "1");
        m.put("silence_timeout", "8");
        m.put("host_timeout", "60");
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }

    @Test
    void threeHostsTrainTheModelOneHostTrains() throws Exception {
        byte[] data = generated(4000, 11).getBytes();
        Map<String, String> hp = hp("target_column", "y", "k_fold", "3", "num_round", "40");
        Hosts three = replicated("three", 3, hp, data);
        Hosts one = replicated("one", 1, hp, data);
        three.start();
        one.start();
        List<Byoe.Result> results = three.await();
        Byoe.Result alone = one.await(0);
        assertEquals(0, alone.exit(), alone.all());
        for (int i = 0; i < 3; i++) {
            Byoe.Result r = results.get(i);
            String host = three.names.get(i);
            assertEquals(0, r.exit(), host + ": " + r.all());
            assertTrue(
                    r.stderr()
                            .contains(
                                    host
                                            + " holds every row of channel 'train' (FullyReplicated, 4000 rows)"),
                    host + ": " + r.stderr());
            assertTrue(
                    Pattern.compile("fold \\d/3: trained on \\d+ rows").matcher(r.stderr()).find(),
                    host + " trained cross-validation units: " + r.stderr());
            assertTrue(
                    r.stderr()
                                    .contains(
                                            "xgboost on all rows: trained on 1333 rows (this host's share, with the other hosts)")
                            || r.stderr().contains("trained on 1334 rows (this host's share"),
                    host + " trained XGBoost on its third: " + r.stderr());
            assertEquals(
                    i == 0,
                    Files.exists(three.layouts.get(i).model().resolve("manifest.json")),
                    host);
            assertEquals(
                    i == 0,
                    r.stdout().contains("validation-rmse:"),
                    host + " metric lines: " + r.stdout());
        }
        assertEquals(
                alone.stdout(), results.getFirst().stdout(), "the same metric lines as one host");
        JsonNode cluster =
                JSON.readTree(three.layouts.getFirst().model().resolve("manifest.json").toFile())
                        .at("/data/cluster");
        assertEquals("[\"algo-1\",\"algo-2\",\"algo-3\"]", cluster.get("hosts").toString());
        assertEquals(3, cluster.get("rows_by_host").size(), cluster.toString());
        assertSamePredictions(
                one.layouts.getFirst().root,
                three.layouts.getFirst().root,
                features(generated(500, 99)));
    }

    @Test
    void twoHostsTrainAdultWithCategoriesAsOneHostDoes() throws Exception {
        Map<String, String> hp =
                hp(
                        "target_column",
                        "label",
                        "objective",
                        "binary",
                        "k_fold",
                        "2",
                        "num_round",
                        "30");
        Path adult = MlLayout.data("adult-sample.csv");
        Hosts two = hosts("two", 2, (ml, i) -> ml.hyperparameters(hp).channel("train", adult));
        Hosts one = hosts("one", 1, (ml, i) -> ml.hyperparameters(hp).channel("train", adult));
        two.start();
        one.start();
        List<Byoe.Result> results = two.await();
        Byoe.Result alone = one.await(0);
        assertEquals(0, alone.exit(), alone.all());
        assertEquals(0, results.get(0).exit(), results.get(0).all());
        assertEquals(0, results.get(1).exit(), results.get(1).all());
        assertEquals(alone.stdout(), results.get(0).stdout());
        assertEquals("", results.get(1).stdout(), "metric lines come from the leader only");
        assertSamePredictions(
                one.layouts.getFirst().root,
                two.layouts.getFirst().root,
                withoutLabel(adult, "label", 200));
    }

    /** The first {@code rows} rows of a CSV file without its label column, as a request body. */
    static String withoutLabel(Path csv, String label, int rows) throws java.io.IOException {
        List<String> lines = Files.readAllLines(csv);
        int column = List.of(lines.getFirst().split(",")).indexOf(label);
        StringBuilder out = new StringBuilder();
        for (String line : lines.subList(1, Math.min(lines.size(), rows + 1))) {
            List<String> f = new ArrayList<>(List.of(line.split(",", -1)));
            f.remove(column);
            out.append(String.join(",", f)).append('\n');
        }
        return out.toString();
    }

    /** The rows of a generated set without its label, as a request body. */
    static String features(String csv) {
        StringBuilder sb = new StringBuilder();
        for (String line : csv.split("\n")) {
            if (!line.startsWith("y,")) {
                sb.append(line.substring(line.indexOf(',') + 1)).append('\n');
            }
        }
        return sb.toString();
    }

    static void assertSamePredictions(Path oneHost, Path manyHosts, String rows) throws Exception {
        double[] a;
        double[] b;
        try (Served s = Served.start(oneHost, Map.of())) {
            a = numbers(s.post(rows, "Content-Type", "text/csv").body());
        }
        try (Served s = Served.start(manyHosts, Map.of())) {
            b = numbers(s.post(rows, "Content-Type", "text/csv").body());
        }
        assertEquals(a.length, b.length);
        double mean = java.util.Arrays.stream(a).average().orElse(0);
        double sd =
                Math.sqrt(
                        java.util.Arrays.stream(a)
                                .map(v -> (v - mean) * (v - mean))
                                .average()
                                .orElse(0));
        double worst = 0;
        for (int i = 0; i < a.length; i++) {
            worst = Math.max(worst, Math.abs(a[i] - b[i]));
        }
        assertTrue(
                worst <= TOLERANCE * Math.max(sd, 1e-12),
                "largest difference " + worst + " against a spread of " + sd);
    }

    private static double[] numbers(String body) {
        return java.util.Arrays.stream(body.strip().split("\n"))
                .mapToDouble(Double::parseDouble)
                .toArray();
    }

    @Test
    void aHostKilledMidJobFailsEveryHostNamingItAndARerunKeepsFinishedUnits() throws Exception {
        byte[] data = generated(3000, 5).getBytes();
        Map<String, String> hp =
                hp(
                        "target_column",
                        "y",
                        "k_fold",
                        "6",
                        "num_round",
                        "300",
                        "members",
                        "xgboost,catboost");
        Hosts three = replicated("three", 3, hp, data);
        three.start();
        three.awaitLog(2, s -> s.contains("fold") && s.contains("trained on"), "a finished unit");
        three.process(2).destroyForcibly();
        List<Byoe.Result> results = new ArrayList<>();
        results.add(three.await(0));
        results.add(three.await(1));
        for (int i = 0; i < 2; i++) {
            assertEquals(
                    1, results.get(i).exit(), three.names.get(i) + ": " + results.get(i).all());
            String failure = Files.readString(three.layouts.get(i).failure());
            assertTrue(
                    failure.startsWith("host algo-3 failed: stopped answering"),
                    three.names.get(i) + ": " + failure);
        }
        // SageMaker restores the checkpoint folder on a retry; here each host keeps its own, and
        // the leader's also holds every unit the others delivered.
        int finished = 0;
        for (int i = 0; i < 3; i++) {
            finished += count(three.err(i), "trained on \\d+ rows in");
        }
        int total = 6 * 2 + 2;
        three.start();
        List<Byoe.Result> rerun = three.await();
        int trained = 0;
        int reused = 0;
        for (Byoe.Result r : rerun) {
            assertEquals(0, r.exit(), r.all());
            trained += count(r.stderr(), "trained on \\d+ rows");
            reused += count(r.stderr(), ": from checkpoint");
        }
        // A unit logged as trained is saved an instant later: the kill may fall in between.
        assertTrue(
                finished > 0 && reused <= finished && reused >= finished - 3,
                "finished " + finished + ", reused " + reused);
        // The collective unit is trained on every host at once: it counts once per host.
        assertEquals(total - reused + 2, trained, "only unfinished units again: " + rerun);
    }

    @Test
    void sigtermSavesFinishedUnitsAndTheRestartTrainsOnlyTheRest() throws Exception {
        byte[] data = generated(3000, 3).getBytes();
        Map<String, String> hp = hp("target_column", "y", "k_fold", "4", "num_round", "200");
        Hosts stopped = replicated("stopped", 1, hp, data);
        Hosts clean = replicated("clean", 1, hp, data);
        stopped.start();
        stopped.awaitLog(0, s -> count(s, "trained on") >= 3, "three finished units");
        stopped.process(0).destroy(); // SIGTERM, as StopTrainingJob or a spot interruption sends
        Byoe.Result first = stopped.await(0);
        assertTrue(first.exit() != 0, first.all());
        String failure = Files.readString(stopped.layouts.getFirst().failure());
        Matcher saved =
                Pattern.compile("(\\d+) finished units are saved in \\S+byoe-units")
                        .matcher(failure);
        assertTrue(saved.find(), failure);
        int kept = Integer.parseInt(saved.group(1));
        assertEquals(count(first.stderr(), "trained on \\d+ rows"), kept, first.stderr());

        Files.delete(stopped.layouts.getFirst().failure());
        stopped.start();
        clean.start();
        Byoe.Result resumed = stopped.await(0);
        Byoe.Result uninterrupted = clean.await(0);
        assertEquals(0, resumed.exit(), resumed.all());
        assertEquals(kept, count(resumed.stderr(), ": from checkpoint"), resumed.stderr());
        assertEquals(
                4 * 2 + 2 - kept,
                count(resumed.stderr(), "trained on \\d+ rows"),
                resumed.stderr());
        assertEquals(
                uninterrupted.stdout(), resumed.stdout(), "the same ensemble as without the stop");
    }

    @Test
    void aStopMidUnitSavesXGBoostsRoundsAndTheNextJobGoesOnFromThemToTheSameModel()
            throws Exception {
        String all = generated(3000, 12);
        String[] lines = all.split("\n");
        StringBuilder train = new StringBuilder(lines[0] + "\n");
        StringBuilder validation = new StringBuilder(lines[0] + "\n");
        for (int i = 1; i < lines.length; i++) {
            (i % 5 == 0 ? validation : train).append(lines[i]).append('\n');
        }
        Map<String, String> hp =
                hp(
                        "target_column", "y",
                        "members", "xgboost",
                        "num_round", "1500",
                        "eta", "0.02",
                        "early_stopping_rounds", "1000");
        Hosts.Setup setup =
                (ml, i) ->
                        ml.hyperparameters(hp)
                                .channel("train", Map.of("t.csv", train.toString().getBytes()))
                                .channel(
                                        "validation",
                                        Map.of("v.csv", validation.toString().getBytes()));
        Hosts stopped = hosts("stopped", 1, setup);
        Hosts clean = hosts("clean", 1, setup);
        stopped.start();
        stopped.awaitOut(0, s -> s.contains("xgboost-round=300;"), "round 300");
        stopped.process(0).destroy();
        assertTrue(stopped.await(0).exit() != 0);
        String failure = Files.readString(stopped.layouts.getFirst().failure());
        Matcher at =
                Pattern.compile(
                                "xgboost on all rows: stopped after XGBoost round (\\d+)/1500, which is saved")
                        .matcher(failure);
        assertTrue(at.find(), failure);
        int round = Integer.parseInt(at.group(1));

        stopped.start();
        clean.start();
        Byoe.Result resumed = stopped.await(0);
        Byoe.Result uninterrupted = clean.await(0);
        assertEquals(0, resumed.exit(), resumed.all());
        assertTrue(
                resumed.stderr()
                        .contains(
                                "xgboost on all rows: goes on from the rounds a stopped job saved"),
                resumed.stderr());
        assertTrue(
                resumed.stdout().startsWith("xgboost-round=" + (round + 1) + ";"),
                "rounds after " + round + " only");
        assertArrayEquals(
                Files.readAllBytes(
                        clean.layouts.getFirst().model().resolve("members/xgboost/model.ubj")),
                Files.readAllBytes(
                        stopped.layouts.getFirst().model().resolve("members/xgboost/model.ubj")),
                "the same booster as a job that was never stopped");
        List<String> finalLines = List.of(uninterrupted.stdout().strip().split("\n"));
        assertTrue(
                resumed.stdout()
                        .strip()
                        .endsWith(
                                String.join(
                                        "\n",
                                        finalLines.subList(
                                                finalLines.size() - 6, finalLines.size()))));
    }

    @Test
    void shardedFilesTrainXGBoostOnEveryHostsOwnShare() throws Exception {
        String all = generated(3000, 8);
        String[] lines = all.split("\n");
        String header = lines[0];
        StringBuilder validation = new StringBuilder(header + "\n");
        List<StringBuilder> shards =
                List.of(new StringBuilder(header + "\n"), new StringBuilder(header + "\n"));
        for (int i = 1; i < lines.length; i++) {
            (i % 5 == 0 ? validation : shards.get(i < 1500 ? 0 : 1)).append(lines[i]).append('\n');
        }
        Map<String, String> hp =
                hp(
                        "target_column",
                        "y",
                        "members",
                        "xgboost",
                        "num_round",
                        "30",
                        "early_stopping_rounds",
                        "5");
        Hosts two =
                hosts(
                        "two",
                        2,
                        (ml, i) ->
                                ml.hyperparameters(hp)
                                        .channel(
                                                "train",
                                                Map.of(
                                                        "part-" + i + ".csv",
                                                        shards.get(i).toString().getBytes()))
                                        .sharded("train")
                                        .channel(
                                                "validation",
                                                Map.of("v.csv", validation.toString().getBytes())));
        Hosts one =
                hosts(
                        "one",
                        1,
                        (ml, i) ->
                                ml.hyperparameters(hp)
                                        .channel(
                                                "train",
                                                Map.of(
                                                        "part-0.csv",
                                                        shards.get(0).toString().getBytes(),
                                                        "part-1.csv",
                                                        shards.get(1).toString().getBytes()))
                                        .channel(
                                                "validation",
                                                Map.of("v.csv", validation.toString().getBytes())));
        one.start();
        List<Byoe.Result> results = two.start().await();
        Byoe.Result alone = one.await(0);
        assertEquals(0, alone.exit(), alone.all());
        for (int i = 0; i < 2; i++) {
            assertEquals(0, results.get(i).exit(), results.get(i).all());
            assertTrue(
                    results.get(i)
                            .stderr()
                            .contains(
                                    "algo-"
                                            + (i + 1)
                                            + " holds its own files of channel 'train' (ShardedByS3Key): 1 files"),
                    results.get(i).stderr());
        }
        JsonNode byHost =
                JSON.readTree(two.layouts.getFirst().model().resolve("manifest.json").toFile())
                        .at("/data/cluster/rows_by_host");
        int expected0 = shards.get(0).toString().split("\n").length - 1;
        int expected1 = shards.get(1).toString().split("\n").length - 1;
        assertEquals(expected0, byHost.get("algo-1").asInt(), byHost.toString());
        assertEquals(expected1, byHost.get("algo-2").asInt(), byHost.toString());
        assertTrue(
                results.get(0).stdout().contains("xgboost-round=1;"),
                "round lines from the leader");
        assertFalse(results.get(1).stdout().contains("xgboost-round="), "and from the leader only");
        // The leader made the feature grid from both hosts' counts: the model one host trains on
        // both files.
        assertEquals(alone.stdout(), results.get(0).stdout());
        assertSamePredictions(
                one.layouts.getFirst().root,
                two.layouts.getFirst().root,
                features(generated(300, 77)));
    }

    @Test
    void shardedFilesThatEveryRowMustReachAreRefusedOnEveryHost() throws Exception {
        Map<String, String> hp = hp("target_column", "target");
        Hosts two =
                hosts(
                        "two",
                        2,
                        (ml, i) ->
                                ml.hyperparameters(hp)
                                        .channel("train", MlLayout.data("diabetes.csv"))
                                        .sharded("train"));
        List<Byoe.Result> results = two.start().await();
        for (int i = 0; i < 2; i++) {
            assertEquals(1, results.get(i).exit(), results.get(i).all());
            String failure = Files.readString(two.layouts.get(i).failure());
            assertTrue(
                    failure.contains("ShardedByS3Key")
                            && failure.contains("k-fold")
                            && failure.contains("catboost trains a whole model on one host")
                            && failure.contains("FullyReplicated"),
                    failure);
        }
    }

    @Test
    void roundLinesAndEarlyStoppingKeepTheBestRound() throws Exception {
        String all = generated(2000, 4);
        String[] lines = all.split("\n");
        StringBuilder train = new StringBuilder(lines[0] + "\n");
        StringBuilder validation = new StringBuilder(lines[0] + "\n");
        for (int i = 1; i < lines.length; i++) {
            (i % 4 == 0 ? validation : train).append(lines[i]).append('\n');
        }
        MlLayout ml =
                new MlLayout(tmp.resolve("es"))
                        .hyperparameters(
                                Map.of(
                                        "target_column", "y",
                                        "members", "xgboost",
                                        "num_round", "3000",
                                        "eta", "0.5",
                                        "early_stopping_rounds", "10"))
                        .channel("train", Map.of("t.csv", train.toString().getBytes()))
                        .channel("validation", Map.of("v.csv", validation.toString().getBytes()));
        Byoe.Result r = Byoe.train(ml);
        assertEquals(0, r.exit(), r.all());
        List<Double> perRound = new ArrayList<>();
        Matcher m = Pattern.compile("(?m)^validation-rmse:([0-9.]+);").matcher(r.stdout());
        while (m.find()) {
            perRound.add(Double.parseDouble(m.group(1)));
        }
        int rounds = count(r.stdout(), "xgboost-round=\\d+;");
        assertTrue(rounds > 10 && rounds < 3000, "stopped early after " + rounds + " rounds");
        assertEquals(rounds + 1, perRound.size(), "one ensemble line a round, then the final one");
        double best = perRound.subList(0, rounds).stream().min(Double::compare).orElseThrow();
        assertEquals(best, perRound.getLast(), 1e-6, "the model kept is the best round's");
        assertTrue(
                r.stderr().contains("kept " + (perRound.indexOf(best) + 1) + " rounds"),
                r.stderr());
    }

    @Test
    void hostsThatReadDifferentDataOrNeverJoinFailTheJobNamingTheHost() throws Exception {
        Map<String, String> hp =
                hp("target_column", "target", "num_round", "5", "host_timeout", "4");
        Hosts unlike =
                hosts(
                        "unlike",
                        2,
                        (ml, i) ->
                                ml.hyperparameters(hp)
                                        .channel(
                                                "train",
                                                i == 0
                                                        ? MlLayout.data("diabetes.csv")
                                                        : MlLayout.data("cal_housing/train.csv")));
        List<Byoe.Result> results = unlike.start().await();
        for (int i = 0; i < 2; i++) {
            assertEquals(1, results.get(i).exit(), results.get(i).all());
        }
        // The second host fails on its own first: its data has no column 'target'.
        String leader = Files.readString(unlike.layouts.getFirst().failure());
        assertTrue(
                leader.startsWith("host algo-2 failed: target_column names column 'target'"),
                leader);

        Hosts alone =
                hosts(
                        "alone",
                        2,
                        (ml, i) ->
                                ml.hyperparameters(hp)
                                        .channel("train", MlLayout.data("diabetes.csv")));
        alone.start(0);
        Byoe.Result r = alone.await(0);
        assertEquals(1, r.exit(), r.all());
        String failure = Files.readString(alone.layouts.getFirst().failure());
        assertTrue(failure.startsWith("host algo-2 failed: did not join within 4 s"), failure);
    }

    static int count(String log, String regex) {
        Matcher m = Pattern.compile(regex).matcher(log);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }
}
