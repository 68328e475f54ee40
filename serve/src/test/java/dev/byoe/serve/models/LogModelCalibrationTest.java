package dev.byoe.serve.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.byoe.core.Json;
import dev.byoe.model.anomaly.LogAnomalyModel;
import dev.byoe.model.artifact.Checksums;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A log model's member calibrations as its manifest holds them: the fixture was saved before
 * isotonic steps kept their lower scores, and loads as it did; a calibration whose arrays disagree
 * in length is refused at load, naming the member, instead of failing on some later request.
 */
class LogModelCalibrationTest {
    @TempDir Path dir;

    @Test
    void aManifestFromBeforeLowerScoresLoads() throws Exception {
        try (LogAnomalyModel model = LogAnomalyModel.load(copyOfFixture())) {
            assertEquals(java.util.List.of("pca", "deeplog", "xgboost"), model.memberNames());
        }
    }

    @Test
    void lowerScoresOfTheWrongLengthAreRefusedNamingTheMember() throws Exception {
        Path model = copyOfFixture();
        Path manifest = model.resolve("manifest.json");
        ObjectNode root = (ObjectNode) Json.MAPPER.readTree(manifest.toFile());
        ObjectNode calibration = (ObjectNode) root.get("members").get(1).get("calibration");
        var lower = calibration.putArray("lowerScores");
        for (int i = 0; i <= calibration.get("upperScores").size(); i++) {
            lower.add(0.0); // one more than there are steps
        }
        calibration.put("method", "isotonic");
        Files.writeString(manifest, Json.MAPPER.writeValueAsString(root));
        Checksums.write(model); // the model as saved with this manifest
        IOException e = assertThrows(IOException.class, () -> LogAnomalyModel.load(model));
        assertTrue(
                e.getMessage().contains("member deeplog has no valid calibration"), e.getMessage());
    }

    private Path copyOfFixture() throws Exception {
        Path fixture = Path.of(getClass().getResource("/models/hdfs-logs").toURI());
        try (Stream<Path> files = Files.walk(fixture)) {
            for (Path from : files.toList()) {
                Path to = dir.resolve(fixture.relativize(from).toString());
                if (Files.isDirectory(from)) {
                    Files.createDirectories(to);
                } else {
                    Files.copy(from, to);
                }
            }
        }
        for (var member :
                Json.MAPPER.readTree(dir.resolve("manifest.json").toFile()).get("members")) {
            assertTrue(
                    !member.get("calibration").has("lowerScores"),
                    "the fixture was saved before calibrations had lowerScores");
        }
        return dir;
    }
}
