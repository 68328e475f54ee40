package dev.byoe.model.artifact;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.byoe.core.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link Manifest#read} maps Jackson's tree by hand; it must read what binding the record reads.
 */
class ManifestTest {
    @TempDir Path dir;

    private static Manifest everyField() {
        Map<String, Object> hyper = new LinkedHashMap<>();
        hyper.put("num_round", 100);
        hyper.put("eta", 0.1);
        hyper.put("seed", 9_000_000_000L);
        hyper.put("huge", new java.math.BigInteger("123456789012345678901234567890"));
        hyper.put("grow", "lossguide");
        hyper.put("flag", true);
        hyper.put("nothing", null);
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put("rmse", 62.79778446936265);
        metrics.put("auc", Double.NaN);
        Map<String, Object> channel = new LinkedHashMap<>();
        channel.put("files", List.of("a.csv", "b.csv"));
        channel.put("rows", 442);
        channel.put("sha256", List.of(Map.of("a.csv", "00ff")));
        return new Manifest(
                Manifest.FORMAT,
                "0.1.0",
                "2026-12-06T04:48:35Z",
                "binary",
                new Manifest.TargetEntry("label", List.of("no", "yes")),
                List.of(
                        new Manifest.FeatureEntry("age", "numeric"),
                        new Manifest.FeatureEntry("city", "categorical")),
                List.of(
                        new Manifest.MemberEntry(
                                "xgboost", "xgboost", 0.75, "members/xgboost", hyper, metrics),
                        new Manifest.MemberEntry(
                                "catboost", "catboost", 0.25, "members/catboost", Map.of(), null)),
                Map.of("target_column", "label", "members", "xgboost,catboost"),
                new Manifest.Evaluation("k-fold", 5, 442, Map.of("rmse", 57.0)),
                Map.of("train", channel),
                0);
    }

    @Test
    void readsEveryFieldAsWritten() throws IOException {
        Path file = dir.resolve(Manifest.FILE);
        everyField().write(file);
        Manifest read = Manifest.read(file);
        assertEquals(everyField(), read);
        assertEquals(Json.MANIFEST.readValue(file.toFile(), Manifest.class), read);
    }

    @Test
    void readsAsBindingWouldWhereTheFileDiffersFromTheRecord() throws IOException {
        // Unknown names (a newer byoe), absent optional parts, numbers where strings are declared
        // and the other way round.
        Path file = dir.resolve(Manifest.FILE);
        Files.writeString(
                file,
                """
                {"format": "byoe-ensemble/1", "objective": "regression", "added_later": {"x": 1},
                 "target": {"name": "y"},
                 "features": [{"name": "x1", "kind": "numeric", "unit": "cm"}],
                 "members": [{"name": "m", "type": "xgboost", "weight": "2.5",
                              "hyperparameters": {"max_depth": 6, "list": [1, 2.5, "z", null]},
                              "metrics": {"r2": "0.5", "mae": 3}}],
                 "hyperparameters": {"num_round": 100, "eta": 0.1, "on": true},
                 "evaluation": {"method": "validation", "rows": 12}}
                """);
        Manifest read = Manifest.read(file);
        assertEquals(Json.MANIFEST.readValue(file.toFile(), Manifest.class), read);
        assertEquals("100", read.hyperparameters().get("num_round"));
        assertEquals(2.5, read.members().getFirst().weight());
        assertNull(read.target().classes());
        assertNull(read.libsvmIndexBase());
        assertNull(read.data());
    }

    @Test
    void refusesAnotherFormatAndAnIncompleteManifest() throws IOException {
        Path file = dir.resolve(Manifest.FILE);
        Files.writeString(file, "{\"format\": \"byoe-logs/1\"}");
        assertTrue(
                assertThrows(IOException.class, () -> Manifest.read(file))
                        .getMessage()
                        .contains("unsupported model format 'byoe-logs/1'"));
        Files.writeString(file, "{\"format\": \"byoe-ensemble/1\", \"objective\": \"binary\"}");
        assertTrue(
                assertThrows(IOException.class, () -> Manifest.read(file))
                        .getMessage()
                        .contains("incomplete"));
        Files.writeString(file, "[1, 2]");
        assertThrows(IOException.class, () -> Manifest.read(file));
    }
}
