package dev.byoe.training;

import java.util.Map;

/**
 * Held-out metrics of a training run: the ensemble's and each member's, by metric id.
 *
 * @param method "validation" (a validation channel) or "k-fold" (cross-validation on train)
 * @param folds number of folds, 0 for a validation channel
 * @param rows rows the metrics were computed on
 */
public record Evaluation(
        String method,
        int folds,
        int rows,
        Map<String, Double> ensemble,
        Map<String, Map<String, Double>> members) {}
