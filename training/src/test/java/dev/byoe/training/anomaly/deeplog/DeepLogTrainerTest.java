package dev.byoe.training.anomaly.deeplog;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.byoe.model.anomaly.AnomalyDetector;
import dev.byoe.model.anomaly.AnomalyScores;
import dev.byoe.model.anomaly.SessionBatch;
import dev.byoe.model.anomaly.deeplog.DeepLogDetector;
import dev.byoe.model.anomaly.deeplog.DeepLogSettings;
import dev.byoe.model.member.MemberException;
import dev.byoe.training.anomaly.DetectionMetrics;
import dev.byoe.training.anomaly.LabelledSessions;
import dev.byoe.training.anomaly.SessionFixture;
import dev.byoe.training.anomaly.TrainingContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeepLogTrainerTest {
    private static final int EVENTS = 31;

    private static DeepLogSettings settings(int epochs) {
        return settings(epochs, 9);
    }

    private static DeepLogSettings settings(int epochs, int topG) {
        return new DeepLogSettings(10, 2, 64, topG, epochs, 256, 0.005, 1, true, 42, 0.001, true);
    }

    private record Run(
            AnomalyDetector detector,
            List<Integer> epochs,
            List<Map<String, Double>> figures,
            List<String> log) {}

    private static Run train(int epochs, Path checkpoints) throws Exception {
        return train(settings(epochs), checkpoints);
    }

    private static Run train(DeepLogSettings settings, Path checkpoints) throws Exception {
        List<Integer> seen = new ArrayList<>();
        List<Map<String, Double>> figures = new ArrayList<>();
        List<String> log = new ArrayList<>();
        TrainingContext ctx =
                new TrainingContext(
                        EVENTS,
                        SessionFixture.validation(),
                        SessionFixture.validation(),
                        checkpoints,
                        log::add,
                        (m, e, f) -> {
                            seen.add(e);
                            figures.add(f);
                        });
        AnomalyDetector d = new DeepLogTrainer(settings, 1).train(SessionFixture.train(), ctx);
        return new Run(d, seen, figures, log);
    }

    @Tag("slow")
    @Test
    void learnsNormalHdfsSessionsAndCatchesBrokenOnes() throws Exception {
        Run run = train(settings(40, 0), null);
        assertEquals(40, run.epochs().size());
        Map<String, Double> last = run.figures().getLast();
        assertTrue(
                last.get("train-loss") < run.figures().getFirst().get("train-loss"),
                run.figures().toString());
        assertTrue(last.containsKey("validation-f1"));
        SessionBatch probes =
                new SessionBatch(
                        List.of("normal", "cut-short", "unknown-event"),
                        new int[][] {
                            SessionBatch.parseSequence(
                                    "E22 E5 E5 E5 E26 E26 E26 E11 E9 E11 E9 E11 E9"),
                            SessionBatch.parseSequence("E22 E5"),
                            SessionBatch.parseSequence(
                                    "E22 E5 E5 E5 E26 E26 E26 E11 E9 E11 E9 E11 E9 E28")
                        });
        AnomalyScores s = run.detector().score(probes);
        assertArrayEquals(new int[] {0, 1, 1}, s.labels(), java.util.Arrays.toString(s.scores()));
        LabelledSessions v = SessionFixture.validation();
        DetectionMetrics m =
                DetectionMetrics.of(run.detector().score(v.sessions()).labels(), v.labels());
        assertTrue(m.f1() > 0.5 && m.precision() > 0.8, m.asMap().toString());
        assertTrue(
                run.log().stream().anyMatch(l -> l.contains("agrees with DL4J")),
                run.log().toString());
    }

    @Tag("slow")
    @Test
    void topGZeroPicksTheBestGOnValidationLabels() throws Exception {
        Run run = train(settings(30, 0), null);
        String chosen =
                run.log().stream().filter(l -> l.contains("chosen on")).findFirst().orElseThrow();
        DeepLogDetector picked = (DeepLogDetector) run.detector();
        int g = picked.settings().topG();
        assertTrue(g >= 1 && chosen.contains("top_g=" + g), chosen);
        LabelledSessions v = SessionFixture.validation();
        double best = DetectionMetrics.of(picked.score(v.sessions()).labels(), v.labels()).f1();
        for (int other : new int[] {1, 3, 6, 9, 12}) {
            double f1 =
                    DetectionMetrics.of(
                                    picked.withTopG(other).score(v.sessions()).labels(), v.labels())
                            .f1();
            assertTrue(
                    f1 <= best + 1e-12,
                    "g=" + other + " F1 " + f1 + " beats the chosen g=" + g + " F1 " + best);
        }
    }

    @Test
    void resumesFromTheLastCheckpointAndSavesPlainWeights(@TempDir Path dir) throws Exception {
        Path checkpoints = dir.resolve("checkpoints");
        train(2, checkpoints);
        assertTrue(Files.isRegularFile(checkpoints.resolve(DeepLogTrainer.CHECKPOINT)));
        Run resumed = train(4, checkpoints);
        assertEquals(List.of(3, 4), resumed.epochs());
        assertTrue(
                resumed.log().stream()
                        .anyMatch(
                                l ->
                                        l.contains(
                                                "resuming from the checkpoint after epoch 2 of 4 (learning rate 0.00500)")),
                resumed.log().toString()
                        + ": half-way through 4 epochs the rate is still the one set, whatever"
                        + " the 2-epoch job's schedule had reached");

        Path model = Files.createDirectories(dir.resolve("model"));
        resumed.detector().save(model);
        SessionBatch v = SessionFixture.validation().sessions();
        AnomalyScores before = resumed.detector().score(v);
        AnomalyScores after = new DeepLogMember().format().load(model).score(v);
        assertArrayEquals(before.scores(), after.scores());

        byte[] weights = Files.readAllBytes(model.resolve(DeepLogDetector.WEIGHTS_FILE));
        Files.write(
                model.resolve(DeepLogDetector.WEIGHTS_FILE),
                java.util.Arrays.copyOf(weights, weights.length / 2));
        MemberException e =
                assertThrows(MemberException.class, () -> new DeepLogMember().format().load(model));
        assertTrue(e.getMessage().contains("DeepLog"), e.getMessage());
    }

    @Test
    void neitherTheWindowCacheNorDistinctWindowsChangeAnAnswer(@TempDir Path dir) throws Exception {
        Path model = Files.createDirectories(dir.resolve("model"));
        train(2, null).detector().save(model);
        SessionBatch v = SessionFixture.validation().sessions();
        AnomalyDetector cached = new DeepLogMember().format().load(model);
        AnomalyScores first = cached.score(v);
        AnomalyScores again = cached.score(v); // every window now answered from the cache
        AnomalyScores uncached = loadedWithout(model, WINDOW_CACHE).score(v);
        AnomalyScores everyWindow = loadedWithout(model, WINDOW_CACHE, DISTINCT_WINDOWS).score(v);
        assertArrayEquals(first.scores(), again.scores());
        assertArrayEquals(first.scores(), uncached.scores());
        assertArrayEquals(first.labels(), uncached.labels());
        assertArrayEquals(first.scores(), everyWindow.scores());
    }

    @Test
    void aWindowRepeatedInOneRequestGetsTheAnswerItGetsAlone(@TempDir Path dir) throws Exception {
        Path model = Files.createDirectories(dir.resolve("model"));
        train(2, null).detector().save(model);
        SessionBatch v = SessionFixture.validation().sessions();
        // Each request on its own: no answers kept from one to the next.
        AnomalyDetector detector = loadedWithout(model, WINDOW_CACHE);
        // The batch twice over: every window of the second half repeats one of the first.
        int[] twice = new int[2 * v.size()];
        for (int i = 0; i < twice.length; i++) {
            twice[i] = i % v.size();
        }
        double[] together = detector.score(v.select(twice)).scores();
        for (int i = 0; i < v.size(); i++) {
            double alone = detector.score(v.select(new int[] {i})).scores()[0];
            assertEquals(alone, together[i], "session " + i);
            assertEquals(alone, together[v.size() + i], "session " + i + ", repeated");
        }
    }

    private static final String WINDOW_CACHE = "byoe.deeplog.windowCache";
    private static final String DISTINCT_WINDOWS = "byoe.deeplog.distinctWindows";

    /** The saved detector loaded with the named switches off (the detector reads them at load). */
    private static AnomalyDetector loadedWithout(Path model, String... switches) throws Exception {
        for (String s : switches) {
            System.setProperty(s, "false");
        }
        try {
            return new DeepLogMember().format().load(model);
        } finally {
            for (String s : switches) {
                System.clearProperty(s);
            }
        }
    }
}
