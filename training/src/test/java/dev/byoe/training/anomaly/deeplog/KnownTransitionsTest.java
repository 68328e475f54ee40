package dev.byoe.training.anomaly.deeplog;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.byoe.core.Json;
import dev.byoe.model.anomaly.SessionBatch;
import dev.byoe.model.anomaly.deeplog.DeepLogDetector;
import dev.byoe.model.anomaly.deeplog.DeepLogSettings;
import dev.byoe.model.anomaly.deeplog.KnownTransitions;
import dev.byoe.model.anomaly.deeplog.SessionEnds;
import dev.byoe.model.anomaly.deeplog.Windows;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Transitions of the normal training sessions are never misses. The network is untrained and g is
 * 1, so top-g alone flags almost every session: what stays normal does so because of the known
 * transitions.
 */
class KnownTransitionsTest {
    private static final int EVENTS = 30;
    private static final int H = 10;

    /**
     * Normal training sessions; the last one is rare, and ends after E22, which ended too few of
     * them for the end rule (1 in 3, below the share of 0.5 set here).
     */
    private static final SessionBatch TRAIN =
            new SessionBatch(
                    List.of("common", "common-again", "rare"),
                    new int[][] {
                        SessionBatch.parseSequence("E5 E5 E5 E22 E11 E9 E26 E23 E21"),
                        SessionBatch.parseSequence("E5 E5 E5 E22 E11 E9 E26 E23 E21"),
                        SessionBatch.parseSequence("E5 E22 E5 E11 E9 E26 E5 E22")
                    });

    private static final SessionBatch PROBES =
            new SessionBatch(
                    List.of("rare-training-session", "new-order", "cut-short"),
                    new int[][] {
                        SessionBatch.parseSequence("E5 E22 E5 E11 E9 E26 E5 E22"),
                        SessionBatch.parseSequence("E5 E5 E22 E5 E11 E9 E26 E23 E21"),
                        SessionBatch.parseSequence("E5 E5 E5 E22")
                    });

    private static Windows windows(SessionBatch sessions) {
        return Windows.of(sessions, H, EVENTS, true);
    }

    private static DeepLogDetector detector(boolean useKnown) {
        DeepLogSettings s =
                new DeepLogSettings(H, 1, 8, 1, 1, 256, 0.01, 1, true, 3, 0.5, useKnown);
        boolean[] seen = new boolean[s.classes(EVENTS)];
        Arrays.fill(seen, true);
        return new DeepLogDetector(
                s,
                EVENTS,
                DeepLogNetwork.create(s, EVENTS, 1).weights(),
                seen,
                SessionEnds.of(TRAIN.events(), EVENTS),
                KnownTransitions.of(windows(TRAIN)));
    }

    @Test
    void everyTrainingPairIsKnownAndAChangedOneIsNot() throws IOException {
        Windows w = windows(TRAIN);
        KnownTransitions known = KnownTransitions.of(w);
        // 10 windows of the common session (twice) and 9 of the rare one, which shares the first.
        assertEquals(18, known.size());
        for (int i = 0; i < w.count; i++) {
            assertTrue(known.contains(w.inputs, i * H, H, w.next[i]), "window " + i);
            assertFalse(known.contains(w.inputs, i * H, H, (w.next[i] + 1) % EVENTS));
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        known.write(bytes);
        KnownTransitions read =
                KnownTransitions.read(new ByteArrayInputStream(bytes.toByteArray()), bytes.size());
        assertEquals(known.size(), read.size());
        for (int i = 0; i < w.count; i++) {
            assertTrue(read.contains(w.inputs, i * H, H, w.next[i]));
        }
        byte[] broken = bytes.toByteArray();
        broken[0] = 'x';
        assertThrows(
                IOException.class,
                () -> KnownTransitions.read(new ByteArrayInputStream(broken), broken.length));
        byte[] truncated = Arrays.copyOf(bytes.toByteArray(), bytes.size() - 8);
        IOException e =
                assertThrows(
                        IOException.class,
                        () ->
                                KnownTransitions.read(
                                        new ByteArrayInputStream(truncated), truncated.length));
        assertTrue(e.getMessage().contains("18 keys do not fit its 144 bytes"), e.getMessage());
    }

    @Test
    void aRareTrainingSessionIsNormalAndNewTransitionsStillCount() {
        double[] with = detector(true).score(PROBES).scores();
        assertEquals(0, with[0], "every transition (and the end after E22) came from training");
        assertTrue(with[1] >= 1, "E22 E5 after E5 E5 never happened in training");
        assertTrue(with[2] >= 1, "no training session ended after E5 E5 E5 E22");
        double[] without = detector(false).score(PROBES).scores();
        assertTrue(without[0] >= 1, "without them an untrained g=1 model and the end rule flag it");
        int[] ranks = detector(true).anomalyRanks(PROBES);
        assertEquals(0, ranks[0]);
        assertTrue(ranks[1] > 0 && ranks[2] > 0);
    }

    @Test
    void theTransitionsTravelWithTheModelAndOlderModelsLoadWithoutThem(@TempDir Path dir)
            throws Exception {
        DeepLogDetector d = detector(true);
        d.save(dir);
        assertTrue(Files.isRegularFile(dir.resolve("transitions.bin")));
        assertArrayEquals(
                d.score(PROBES).scores(), DeepLogDetector.load(dir).score(PROBES).scores());

        Path file = dir.resolve("deeplog.json");
        ObjectNode json = (ObjectNode) Json.MAPPER.readTree(file.toFile());
        json.remove("known_transitions");
        ((ObjectNode) json.get("settings")).remove("knownTransitions");
        Json.MAPPER.writeValue(file.toFile(), json);
        Files.delete(dir.resolve("transitions.bin"));
        DeepLogDetector old = DeepLogDetector.load(dir);
        assertFalse(old.settings().knownTransitions());
        assertArrayEquals(detector(false).score(PROBES).scores(), old.score(PROBES).scores());
    }
}
