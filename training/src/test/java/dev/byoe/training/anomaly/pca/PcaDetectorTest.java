package dev.byoe.training.anomaly.pca;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.byoe.model.anomaly.AnomalyScores;
import dev.byoe.model.anomaly.SessionBatch;
import dev.byoe.model.anomaly.pca.PcaDetector;
import dev.byoe.model.anomaly.pca.PcaSettings;
import dev.byoe.model.member.MemberException;
import dev.byoe.training.anomaly.DetectionMetrics;
import dev.byoe.training.anomaly.LabelledSessions;
import dev.byoe.training.anomaly.SessionFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PcaDetectorTest {
    private static final PcaSettings LOGLIZER = new PcaSettings(0, 0.95, true, true, 3.2905, 0);

    @Test
    void qStatisticMatchesJacksonMudholkarByHand() {
        // Residual eigenvalues 2, 1: phi1=3, phi2=5, phi3=9, h0 = 1 - 2*3*9/(3*25) = 0.28.
        double h0 = 0.28;
        double expected =
                3
                        * Math.pow(
                                1.6449 * Math.sqrt(2 * 5 * h0 * h0) / 3 + 1 + 5 * h0 * (h0 - 1) / 9,
                                1 / h0);
        assertEquals(expected, PcaFit.qStatistic(new double[] {10, 2, 1}, 1, 1.6449), 1e-12);
        // No residual variance: only a residual beyond rounding counts.
        assertEquals(1e-8, PcaFit.qStatistic(new double[] {10, 0, 0}, 1, 3), 1e-15);
    }

    @Test
    void keepingEveryComponentFlagsNoSessionForRoundingNoise(@TempDir Path dir) throws Exception {
        SessionBatch normal = SessionFixture.train().withoutAnomalies().sessions();
        PcaDetector pca = PcaFit.fit(normal, 31, new PcaSettings(31, 0.95, true, true, 3.2905, 0));
        assertEquals(31, pca.componentCount());
        // Sessions it was not fitted on, scored by the saved model: in the full basis their
        // residual is rounding alone.
        SessionBatch unseen = SessionFixture.validation().withoutAnomalies().sessions();
        // As served: the saved model's components, rounded by their text form.
        pca.save(dir);
        AnomalyScores s = new PcaMember().format().load(dir).score(unseen);
        int flagged = java.util.Arrays.stream(s.labels()).sum();
        assertEquals(
                0,
                flagged,
                "sessions flagged by a residual of rounding alone, max "
                        + java.util.Arrays.stream(s.scores()).max().orElse(0)
                        + " vs "
                        + s.threshold());
    }

    @Test
    void findsAnomalousHdfsSessionsAndRarelyFlagsNormalOnes() throws Exception {
        LabelledSessions train = SessionFixture.train();
        LabelledSessions validation = SessionFixture.validation();
        int events = 31;
        PcaDetector pca = PcaFit.fit(train.withoutAnomalies().sessions(), events, LOGLIZER);
        DetectionMetrics m =
                DetectionMetrics.of(pca.score(validation.sessions()).labels(), validation.labels());
        // loglizer's PCA reaches F1 0.31 on the full split; the fixture is a sample of it.
        assertTrue(m.recall() > 0.2, "recall " + m.recall());
        assertTrue(m.precision() > 0.2, "precision " + m.precision());
        DetectionMetrics onTrainNormals =
                DetectionMetrics.of(
                        pca.score(train.withoutAnomalies().sessions()).labels(),
                        train.withoutAnomalies().labels());
        assertEquals(
                0,
                onTrainNormals.falsePositives() / (double) train.withoutAnomalies().size(),
                0.02);
        assertTrue(pca.componentCount() >= 1 && pca.componentCount() < events);
    }

    @Test
    void anEventNeverSeenInTrainingStandsOut() throws Exception {
        SessionBatch normal = SessionFixture.train().withoutAnomalies().sessions();
        PcaDetector pca = PcaFit.fit(normal, 31, LOGLIZER);
        int[] usual = normal.events()[0];
        int[] odd = java.util.Arrays.copyOf(usual, usual.length + 1);
        odd[usual.length] = 30; // E30 is absent from the training sessions
        AnomalyScores s =
                pca.score(new SessionBatch(List.of("usual", "odd"), new int[][] {usual, odd}));
        assertTrue(
                !s.anomalous(0) && s.anomalous(1),
                s.scores()[0] + " / " + s.scores()[1] + " vs " + s.threshold());
    }

    @Test
    void quantileThresholdFlagsTheRequestedShareOfTrainingSessions() throws Exception {
        SessionBatch normal = SessionFixture.train().withoutAnomalies().sessions();
        PcaDetector pca = PcaFit.fit(normal, 31, new PcaSettings(2, 0.95, true, true, 3.29, 0.9));
        assertEquals(2, pca.componentCount());
        int flagged = java.util.Arrays.stream(pca.score(normal).labels()).sum();
        assertTrue(flagged <= 0.1 * normal.size() + 1, flagged + " of " + normal.size());
    }

    @Test
    void savesAndLoadsToTheSameScores(@TempDir Path dir) throws Exception {
        PcaDetector pca =
                PcaFit.fit(SessionFixture.train().withoutAnomalies().sessions(), 31, LOGLIZER);
        pca.save(dir);
        SessionBatch v = SessionFixture.validation().sessions();
        AnomalyScores before = pca.score(v);
        AnomalyScores after = new PcaMember().format().load(dir).score(v);
        assertArrayEquals(before.scores(), after.scores());
        assertEquals(before.threshold(), after.threshold());
        Files.writeString(
                dir.resolve(PcaDetector.FILE),
                Files.readString(dir.resolve(PcaDetector.FILE)).substring(0, 200));
        MemberException e =
                assertThrows(MemberException.class, () -> new PcaMember().format().load(dir));
        assertTrue(e.getMessage().contains("PCA"), e.getMessage());
    }
}
