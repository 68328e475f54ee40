package dev.byoe.training.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.byoe.core.data.Predictions;
import org.junit.jupiter.api.Test;

class MetricTest {
    private static Predictions p(double... v) {
        return new Predictions(v.length, 1, v);
    }

    @Test
    void regression() {
        double[] y = {1, 2, 3, 4};
        assertEquals(
                Math.sqrt((0.25 + 0 + 0.25 + 1) / 4),
                Metric.RMSE.compute(p(1.5, 2, 2.5, 5), y),
                1e-12);
        assertEquals((0.5 + 0 + 0.5 + 1) / 4, Metric.MAE.compute(p(1.5, 2, 2.5, 5), y), 1e-12);
        assertEquals(1.0, Metric.R2.compute(p(1, 2, 3, 4), y), 1e-12);
        assertEquals(0.0, Metric.R2.compute(p(2.5, 2.5, 2.5, 2.5), y), 1e-12);
    }

    @Test
    void aucCountsPairsAndSharesTies() {
        double[] y = {0, 0, 1, 1};
        assertEquals(1.0, Metric.AUC.compute(p(0.1, 0.2, 0.8, 0.9), y), 1e-12);
        assertEquals(0.0, Metric.AUC.compute(p(0.9, 0.8, 0.2, 0.1), y), 1e-12);
        assertEquals(0.5, Metric.AUC.compute(p(0.5, 0.5, 0.5, 0.5), y), 1e-12);
        // One positive below one negative: 3 of 4 pairs ordered right.
        assertEquals(0.75, Metric.AUC.compute(p(0.1, 0.6, 0.5, 0.9), y), 1e-12);
    }

    @Test
    void classification() {
        double[] y = {0, 1, 1, 0};
        assertEquals(0.75, Metric.ACCURACY.compute(p(0.2, 0.7, 0.4, 0.1), y), 1e-12);
        assertEquals(
                -(Math.log(0.8) + Math.log(0.7) + Math.log(0.4) + Math.log(0.9)) / 4,
                Metric.LOGLOSS.compute(p(0.2, 0.7, 0.4, 0.1), y),
                1e-12);
        assertEquals(2.0 / 3.0, Metric.F1.compute(p(0.2, 0.7, 0.4, 0.1), y), 1e-12);
        Predictions multi = new Predictions(2, 3, new double[] {0.7, 0.2, 0.1, 0.1, 0.3, 0.6});
        assertEquals(0.5, Metric.ACCURACY.compute(multi, new double[] {0, 1}), 1e-12);
        assertEquals(
                -(Math.log(0.7) + Math.log(0.3)) / 2,
                Metric.MLOGLOSS.compute(multi, new double[] {0, 1}),
                1e-12);
    }
}
