package dev.byoe.jobs.tune;

import java.util.ArrayList;
import java.util.List;

/**
 * SageMaker's early stopping (TrainingJobEarlyStoppingType Auto): after epoch k, take each earlier
 * trial's running average of the objective over its first k values, and stop the current trial if
 * its value at k is worse than the median of those averages. It needs per-epoch objective lines; a
 * trial that prints the objective once is judged once, when it is already done.
 */
public final class MedianStoppingRule {
    /** Fewer finished trials than this give too noisy a median to stop anything. */
    public static final int MIN_FINISHED = 3;

    private MedianStoppingRule() {}

    /**
     * @param current the running trial's objective values, one per epoch so far
     * @param finished the objective series of trials that completed
     */
    public static boolean shouldStop(
            List<Double> current, List<List<Double>> finished, boolean minimize) {
        int k = current.size();
        if (k == 0) {
            return false;
        }
        List<Double> averages = new ArrayList<>();
        for (List<Double> series : finished) {
            if (series.size() >= k) {
                averages.add(
                        series.subList(0, k).stream()
                                .mapToDouble(Double::doubleValue)
                                .average()
                                .orElseThrow());
            }
        }
        if (averages.size() < MIN_FINISHED) {
            return false;
        }
        averages.sort(null);
        int n = averages.size();
        double median =
                n % 2 == 1
                        ? averages.get(n / 2)
                        : (averages.get(n / 2 - 1) + averages.get(n / 2)) / 2;
        double value = current.get(k - 1);
        return minimize ? value > median : value < median;
    }
}
