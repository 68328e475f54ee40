package dev.byoe.jobs.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StatisticsTest {
    private static DatasetProfile profile(long seed, int rows, double shift) {
        Random random = new Random(seed);
        DatasetProfile p = new DatasetProfile(Set.of());
        for (int i = 0; i < rows; i++) {
            String x = Double.toString(random.nextGaussian() + shift);
            String colour = random.nextInt(4) == 0 ? "red" : "blue";
            p.positional(List.of(x, colour), List.of("x", "colour"));
        }
        return p;
    }

    @Test
    void aColumnWithoutValuesHasAnInferredTypeTheStatisticsSchemaAllows() {
        DatasetProfile p = new DatasetProfile(Set.of());
        p.positional(List.of("1", ""), List.of("x", "empty"));
        p.positional(List.of("2", "NA"), List.of("x", "empty"));
        var empty = StatisticsFile.of(p).at("/features/1");
        assertEquals("empty", empty.get("name").asText());
        assertTrue(
                Set.of("Integral", "Fractional", "String")
                        .contains(empty.get("inferred_type").asText()),
                empty.toString());
        assertEquals(2, empty.at("/string_statistics/common/num_missing").asInt());
    }

    @Test
    void violationPercentagesReadAsSageMakersMonitorWritesThem() {
        assertEquals("100.0", ConstraintChecker.percent(1));
        assertEquals("90.0", ConstraintChecker.percent(0.9));
        assertEquals("99.71751412429", ConstraintChecker.percent(0.9971751412429).substring(0, 14));
    }

    @Test
    void valuesAreTypedFromTheirText() {
        assertEquals(ValueKind.INTEGRAL, ValueKind.of(" -42 "));
        assertEquals(ValueKind.FRACTIONAL, ValueKind.of("41.000000"));
        assertEquals(ValueKind.FRACTIONAL, ValueKind.of("1e-3"));
        assertEquals(ValueKind.STRING, ValueKind.of("Infinity"));
        assertEquals(ValueKind.STRING, ValueKind.of("0x10"));
        assertEquals(ValueKind.MISSING, ValueKind.of("NA"));
        assertEquals(ValueKind.MISSING, ValueKind.of(""));
    }

    @Test
    void aSketchReadBackFromStatisticsJsonDescribesTheSameDistribution(@TempDir Path dir)
            throws Exception {
        DatasetProfile p = profile(1, 100_000, 0);
        Path file = dir.resolve("statistics.json");
        new ObjectMapper().writeValue(file.toFile(), StatisticsFile.of(p));
        Map<String, StatisticsFile.Feature> read = StatisticsFile.read(file);
        Distribution original = p.feature("x").distribution();
        Distribution back = read.get("x").distribution();
        assertEquals(100_000, back.count(), "items weighted 2^level add up to the row count");
        assertTrue(back.distance(original) < 0.02, "distance " + back.distance(original));
        assertTrue(p.feature("x").sketch().getNumRetained() < 2_000, "a sketch, not the data");
        assertEquals(FeatureType.String, read.get("colour").type());
        assertTrue(
                read.get("colour").distribution().distance(p.feature("colour").distribution())
                        < 1e-12);
    }

    @Test
    void robustDriftAllowsForSampleSizeAndSimpleDoesNot() {
        DatasetProfile base = profile(2, 2_000, 0);
        DatasetProfile small = profile(3, 60, 0.5);
        DatasetProfile large = profile(4, 5_000, 0.5);
        ObjectMapper json = new ObjectMapper();
        var suggested = ConstraintsFile.suggest(base, MonitoringConfig.DEFAULT);
        Map<String, StatisticsFile.Feature> stats =
                Map.of(
                        "x",
                        new StatisticsFile.Feature(
                                "x",
                                FeatureType.Fractional,
                                2_000,
                                0,
                                base.feature("x").distribution()));
        for (String method : List.of("Robust", "Simple")) {
            suggested
                    .withObjectProperty("monitoring_config")
                    .withObjectProperty("distribution_constraints")
                    .put("comparison_method", method);
            ConstraintsFile.Constraints c = constraints(json, suggested);
            boolean smallDrifts =
                    new ConstraintChecker(c, stats)
                            .check(small).stream()
                                    .anyMatch(v -> v.checkType().equals(Violation.BASELINE_DRIFT));
            boolean largeDrifts =
                    new ConstraintChecker(c, stats)
                            .check(large).stream()
                                    .anyMatch(v -> v.checkType().equals(Violation.BASELINE_DRIFT));
            // Half a standard deviation moves the CDF by about 0.2: over the threshold, but within
            // the noise of 60 rows (0.21).
            assertEquals(method.equals("Simple"), smallDrifts, method + " on 60 rows");
            assertTrue(largeDrifts, method + " on 5000 rows");
        }
    }

    private static ConstraintsFile.Constraints constraints(ObjectMapper json, Object tree) {
        try {
            Path f = java.nio.file.Files.createTempFile("constraints", ".json");
            json.writeValue(f.toFile(), tree);
            ConstraintsFile.Constraints c = ConstraintsFile.read(f);
            java.nio.file.Files.delete(f);
            return c;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
