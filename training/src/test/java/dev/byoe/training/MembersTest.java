package dev.byoe.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.byoe.core.data.Dataset;
import dev.byoe.core.data.Objective;
import dev.byoe.core.data.Predictions;
import dev.byoe.model.member.MemberModel;
import dev.byoe.training.member.MemberRegistry;
import dev.byoe.training.member.MemberSettings;
import dev.byoe.training.member.MemberType;
import dev.byoe.training.metrics.Metric;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Trains the real XGBoost and CatBoost members on generated data with a known signal. */
class MembersTest {
    @TempDir Path dir;

    static MemberSettings settings(Objective objective) {
        return new MemberSettings(
                objective,
                7,
                2,
                Map.of(
                        "num_round",
                        60L,
                        "max_depth",
                        4L,
                        "eta",
                        0.2,
                        "nthread",
                        0L,
                        "thread_count",
                        0L));
    }

    @ParameterizedTest
    @CsvSource({
        "xgboost,REGRESSION",
        "catboost,REGRESSION",
        "xgboost,BINARY",
        "catboost,BINARY",
        "xgboost,MULTICLASS",
        "catboost,MULTICLASS"
    })
    void learnsTheSignalAndRoundTripsThroughItsNativeFile(String member, Objective objective)
            throws Exception {
        MemberType type = MemberRegistry.require(member);
        Dataset train = SyntheticData.make(objective, 400, 1);
        Dataset test = SyntheticData.make(objective, 200, 2);
        try (MemberModel model = type.trainer(settings(objective)).train(train)) {
            Predictions p = model.predict(test.features());
            assertEquals(test.target().predictionWidth(), p.width());
            switch (objective) {
                case REGRESSION -> {
                    double baseline =
                            Math.sqrt(
                                    java.util.Arrays.stream(test.labels())
                                            .map(v -> v * v)
                                            .average()
                                            .orElseThrow());
                    assertTrue(
                            Metric.RMSE.compute(p, test.labels()) < 0.35 * baseline,
                            "rmse "
                                    + Metric.RMSE.compute(p, test.labels())
                                    + " vs baseline "
                                    + baseline);
                }
                case BINARY -> assertTrue(Metric.AUC.compute(p, test.labels()) > 0.9);
                case MULTICLASS -> {
                    assertTrue(Metric.ACCURACY.compute(p, test.labels()) > 0.8);
                    for (int r = 0; r < p.rows(); r++) {
                        double sum = 0;
                        for (int c = 0; c < p.width(); c++) {
                            sum += p.get(r, c);
                        }
                        assertEquals(1.0, sum, 1e-5);
                    }
                }
            }
            Path saved = Files.createDirectories(dir.resolve(member));
            model.save(saved);
            try (MemberModel loaded = type.format().load(saved, train.schema(), train.target())) {
                assertArrayEquals(p.values(), loaded.predict(test.features()).values(), 1e-9);
            }
        }
    }

    @ParameterizedTest
    @CsvSource({"xgboost", "catboost"})
    void sameSeedSameModel(String member) throws Exception {
        MemberType type = MemberRegistry.require(member);
        Dataset train = SyntheticData.make(Objective.REGRESSION, 300, 3);
        try (MemberModel a = type.trainer(settings(Objective.REGRESSION)).train(train);
                MemberModel b = type.trainer(settings(Objective.REGRESSION)).train(train)) {
            assertArrayEquals(
                    a.predict(train.features()).values(), b.predict(train.features()).values());
        }
    }
}
