package dev.byoe.training.anomaly;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Precision, recall and F1 of anomaly verdicts against labels (sessions labelled -1 are skipped).
 */
public record DetectionMetrics(
        long truePositives, long falsePositives, long falseNegatives, long trueNegatives) {

    public static DetectionMetrics of(int[] predicted, int[] labels) {
        long tp = 0, fp = 0, fn = 0, tn = 0;
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0) {
                continue;
            }
            boolean p = predicted[i] == 1;
            if (labels[i] == 1) {
                if (p) tp++;
                else fn++;
            } else {
                if (p) fp++;
                else tn++;
            }
        }
        return new DetectionMetrics(tp, fp, fn, tn);
    }

    public double precision() {
        return truePositives + falsePositives == 0
                ? 0
                : (double) truePositives / (truePositives + falsePositives);
    }

    public double recall() {
        return truePositives + falseNegatives == 0
                ? 0
                : (double) truePositives / (truePositives + falseNegatives);
    }

    public double f1() {
        double p = precision();
        double r = recall();
        return p + r == 0 ? 0 : 2 * p * r / (p + r);
    }

    /** {@code f1}, {@code precision}, {@code recall}: the names metric lines use. */
    public Map<String, Double> asMap() {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("f1", f1());
        m.put("precision", precision());
        m.put("recall", recall());
        return m;
    }
}
