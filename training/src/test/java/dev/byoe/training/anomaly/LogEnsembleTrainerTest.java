package dev.byoe.training.anomaly;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.byoe.core.Json;
import dev.byoe.core.data.Objective;
import dev.byoe.training.anomaly.pca.PcaMember;
import dev.byoe.training.member.HyperparameterDefinition;
import dev.byoe.training.member.MemberSettings;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class LogEnsembleTrainerTest {
    @Test
    void thresholdsAndSplits() {
        double[] p = {0.1, 0.2, 0.3, 0.8, 0.9};
        int[] y = {0, 0, 1, 1, 1};
        double t = LogEnsembleTrainer.bestF1Threshold(p, y);
        assertTrue(t > 0.2 && t < 0.3, "between the last normal and the first anomaly: " + t);
        assertEquals(
                0.9, LogEnsembleTrainer.quantileThreshold(new double[] {0.5, 0.9, 0.1, 0.7}, 1.0));
        int[] labels = new int[100];
        Arrays.fill(labels, 80, 100, 1);
        Arrays.fill(labels, 0, 10, -1);
        int[][] parts = LogEnsembleTrainer.stratifiedSplit(labels, 0.25, 3);
        assertEquals(100, parts[0].length + parts[1].length);
        assertEquals(5, Arrays.stream(parts[1]).filter(i -> labels[i] == 1).count());
        assertEquals(18, Arrays.stream(parts[1]).filter(i -> labels[i] == 0).count());
        assertEquals(
                0,
                Arrays.stream(parts[1]).filter(i -> labels[i] == -1).count(),
                "unlabelled sessions stay for training");
    }

    /**
     * Fits real PCA on the HDFS fixture without labels; returns what PCA learned from and the log.
     */
    private static List<String> fitUnlabelled(LabelledSessions sessions, List<Integer> learntFrom)
            throws Exception {
        PcaMember pca = new PcaMember();
        Map<String, Object> hp = new LinkedHashMap<>();
        for (HyperparameterDefinition d : pca.hyperparameters()) {
            hp.put(d.name(), d.defaultValue() == null ? null : d.parse(d.defaultValue()));
        }
        AnomalyTrainer real = pca.trainer(new MemberSettings(Objective.BINARY, 5, 1, hp));
        AnomalyTrainer counting =
                (train, ctx) -> {
                    learntFrom.add(train.size());
                    return real.train(train, ctx);
                };
        List<String> log = new ArrayList<>();
        LogEnsembleTrainer trainer =
                new LogEnsembleTrainer(
                        List.of(new LogEnsembleTrainer.Entry("pca", pca, counting, 1)),
                        new LogEnsembleTrainer.Settings(0.2, 0, 0.01, 5),
                        log::add);
        ObjectNode manifest = Json.MAPPER.createObjectNode();
        trainer.fit(
                        sessions,
                        null,
                        sessions.sessions().eventSpan(),
                        null,
                        (m, e, f) -> {},
                        null,
                        null,
                        manifest)
                .model()
                .close();
        log.add(manifest.get("calibration").asText());
        return log;
    }

    @Test
    void withoutLabelsTheBudgetIsSetOnHeldOutSessions() throws Exception {
        LabelledSessions all = LabelledSessions.unlabelled(SessionFixture.train().sessions());
        List<Integer> learntFrom = new ArrayList<>();
        List<String> log = fitUnlabelled(all, learntFrom);
        int held = (int) Math.round(all.size() * 0.2);
        assertEquals(List.of(all.size() - held), learntFrom, log.toString());
        assertTrue(
                log.getLast()
                        .equals(
                                "quantile of the scores of held-out training sessions: "
                                        + held
                                        + " unlabelled sessions (taken as normal)"),
                log.toString());

        // Too few to hold out 100: in-sample, and the log says what that means.
        LabelledSessions few = all.select(IntStream.range(0, 300).toArray());
        learntFrom.clear();
        log = fitUnlabelled(few, learntFrom);
        assertEquals(List.of(300), learntFrom);
        assertTrue(
                log.stream().anyMatch(l -> l.contains("set on the training sessions themselves")),
                log.toString());
        assertTrue(
                log.getLast().startsWith("quantile of the scores of the training data's 300"),
                log.getLast());
    }
}
