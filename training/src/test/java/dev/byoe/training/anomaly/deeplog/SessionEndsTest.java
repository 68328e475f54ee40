package dev.byoe.training.anomaly.deeplog;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.byoe.core.Json;
import dev.byoe.model.anomaly.SessionBatch;
import dev.byoe.model.anomaly.deeplog.DeepLogDetector;
import dev.byoe.model.anomaly.deeplog.DeepLogSettings;
import dev.byoe.model.anomaly.deeplog.LstmWeights;
import dev.byoe.model.anomaly.deeplog.SessionEnds;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * DeepLog's end-of-session rule on its own: g covers every class, so top-g admits any event and
 * only where a session ends can make it anomalous. The network is untrained; the rule does not
 * depend on it.
 */
class SessionEndsTest {
    private static final int EVENTS = 30;

    /** 1,998 training sessions end after E21, 3 after E26, 1 after E22 (below 1 in 1,000). */
    private static SessionEnds trainingEnds() {
        List<int[]> sessions = new ArrayList<>();
        for (int i = 0; i < 1998; i++) {
            sessions.add(SessionBatch.parseSequence("E5 E5 E5 E22 E11 E9 E26 E23 E21"));
        }
        sessions.add(SessionBatch.parseSequence("E22 E5 E5 E5 E11 E9 E26"));
        sessions.add(SessionBatch.parseSequence("E5 E22 E5 E5 E11 E9 E26"));
        sessions.add(SessionBatch.parseSequence("E5 E5 E5 E22 E11 E9 E11 E9 E26"));
        sessions.add(SessionBatch.parseSequence("E5 E5 E22 E5 E11 E9 E26 E5 E22"));
        return SessionEnds.of(sessions.toArray(new int[0][]), EVENTS);
    }

    private static DeepLogDetector detector(double endMinShare) {
        DeepLogSettings s =
                new DeepLogSettings(
                        10, 1, 8, EVENTS + 1, 1, 256, 0.01, 1, true, 3, endMinShare, false);
        LstmWeights weights = DeepLogNetwork.create(s, EVENTS, 1).weights();
        boolean[] seen = new boolean[s.classes(EVENTS)];
        Arrays.fill(seen, true);
        return new DeepLogDetector(s, EVENTS, weights, seen, trainingEnds(), null);
    }

    private static final SessionBatch PROBES =
            new SessionBatch(
                    List.of("cut-after-allocate", "cut-after-receive", "whole", "short", "empty"),
                    new int[][] {
                        SessionBatch.parseSequence("E5 E22"),
                        SessionBatch.parseSequence("E22 E5 E5"),
                        SessionBatch.parseSequence("E5 E5 E5 E22 E11 E9 E26 E23 E21"),
                        SessionBatch.parseSequence("E26"),
                        new int[0]
                    });

    @Test
    void aSessionMayEndOnlyAfterAnEventThatEndedEnoughTrainingSessions() {
        DeepLogDetector d = detector(0.001);
        // E22 ended one training session in 2,002: too rare to make an ending normal. E5 never
        // ended one. A one-event session that ends like training sessions do is normal: length is
        // not the criterion.
        assertArrayEquals(new double[] {1, 1, 0, 0, 1}, d.score(PROBES).scores());
        int[] ranks = d.anomalyRanks(PROBES);
        assertEquals(Integer.MAX_VALUE, ranks[0]);
        assertEquals(Integer.MAX_VALUE, ranks[1]);
        assertEquals(Integer.MAX_VALUE, ranks[4]);
        assertEquals(true, ranks[2] < EVENTS + 1 && ranks[3] < EVENTS + 1);
    }

    @Test
    void shareZeroLeavesTheEndToTopGAlone() {
        assertArrayEquals(new double[] {0, 0, 0, 0, 0}, detector(0).score(PROBES).scores());
    }

    @Test
    void theRuleTravelsWithTheModelAndOlderModelsLoadWithoutIt(@TempDir Path dir) throws Exception {
        detector(0.001).save(dir);
        DeepLogDetector loaded = DeepLogDetector.load(dir);
        assertArrayEquals(new double[] {1, 1, 0, 0, 1}, loaded.score(PROBES).scores());

        Path file = dir.resolve("deeplog.json");
        ObjectNode json = (ObjectNode) Json.MAPPER.readTree(file.toFile());
        json.remove("session_ends");
        ((ObjectNode) json.get("settings")).remove("endMinShare");
        Json.MAPPER.writeValue(file.toFile(), json);
        assertArrayEquals(
                new double[] {0, 0, 0, 0, 0},
                DeepLogDetector.load(dir).score(PROBES).scores(),
                "a model saved before the rule answers as it did");
    }
}
