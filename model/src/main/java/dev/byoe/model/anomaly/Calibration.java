package dev.byoe.model.anomaly;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Turns one member's raw score (SPE, top-g misses, a probability) into a probability of anomaly, so
 * that members on different scales can be averaged.
 *
 * <ul>
 *   <li>{@code isotonic}: with labelled held-out sessions, the monotone step function that best
 *       fits the labels (pool-adjacent-violators), each step's rate smoothed as {@code (anomalies +
 *       1) / (sessions + 2)} so that small steps do not claim certainty (and kept non-decreasing
 *       after that). Between two steps, where no held-out session scored, the probability runs
 *       linearly from the one step's rate to the next: the held-out sessions say nothing about
 *       where in that gap the rate changes, and jumping at either end would decide it (a supervised
 *       member's 0.15, between the highest normal score 0.05 and the lowest anomalous one 0.9,
 *       would be called certainly anomalous although the member itself says normal).
 *   <li>{@code quantile}: without labels, the share of normal sessions scoring strictly below the
 *       score, out of {@code n + 1}, and 1 above every normal score: how unusual a score is (a
 *       score most normal sessions share, such as zero misses, stays low).
 * </ul>
 *
 * A step function: {@code probabilities[i]} holds for scores up to {@code upperScores[i]}; with
 * {@code lowerScores} (isotonic), from {@code lowerScores[i]} on, and the gap before that is
 * interpolated. Calibrations saved before {@code lowerScores} existed read it as null and keep the
 * plain steps.
 */
public record Calibration(
        String method, double[] lowerScores, double[] upperScores, double[] probabilities) {

    public static Calibration isotonic(double[] scores, int[] labels) {
        Integer[] order = new Integer[scores.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Double.compare(scores[a], scores[b]));
        // Blocks of equal scores first: pooling before a block is complete would let its first
        // session's label decide whether it merges with the block below.
        List<double[]> equal = new ArrayList<>(); // {upper score, anomalies, sessions, lower}
        for (int i : order) {
            if (labels[i] < 0) {
                continue;
            }
            if (!equal.isEmpty() && equal.getLast()[0] == scores[i]) {
                equal.getLast()[1] += labels[i];
                equal.getLast()[2]++;
            } else {
                equal.add(new double[] {scores[i], labels[i], 1, scores[i]});
            }
        }
        // Then pool-adjacent-violators: merge while a block's rate is not above the previous one.
        List<double[]> blocks = new ArrayList<>();
        for (double[] next : equal) {
            blocks.add(next);
            while (blocks.size() > 1) {
                double[] last = blocks.getLast();
                double[] prev = blocks.get(blocks.size() - 2);
                if (prev[1] / prev[2] < last[1] / last[2]) {
                    break;
                }
                prev[0] = last[0];
                prev[1] += last[1];
                prev[2] += last[2];
                blocks.removeLast();
            }
        }
        if (blocks.isEmpty()) {
            throw new IllegalArgumentException("isotonic calibration needs labelled sessions");
        }
        double[] lower = new double[blocks.size()];
        double[] upper = new double[blocks.size()];
        double[] p = new double[blocks.size()];
        for (int b = 0; b < upper.length; b++) {
            lower[b] = blocks.get(b)[3];
            upper[b] = blocks.get(b)[0];
            p[b] = (blocks.get(b)[1] + 1) / (blocks.get(b)[2] + 2);
            if (b > 0 && p[b] < p[b - 1]) {
                // Smoothing pulls a small step further towards 1/2 than a large one: a step of one
                // anomaly (2/3) would fall below a step of 99 in 100 (100/102) under it, and a
                // higher score must never read as less anomalous.
                p[b] = p[b - 1];
            }
        }
        return new Calibration("isotonic", lower, upper, p);
    }

    public static Calibration quantile(double[] normalScores) {
        if (normalScores.length == 0) {
            throw new IllegalArgumentException("quantile calibration needs normal sessions");
        }
        double[] sorted = normalScores.clone();
        Arrays.sort(sorted);
        List<Double> upper = new ArrayList<>();
        List<Double> p = new ArrayList<>();
        for (int i = 0; i < sorted.length; i++) {
            if (i > 0 && sorted[i - 1] == sorted[i]) {
                continue;
            }
            upper.add(sorted[i]);
            p.add(i / (sorted.length + 1.0)); // normal scores strictly below this one
        }
        return new Calibration(
                "quantile",
                null,
                upper.stream().mapToDouble(Double::doubleValue).toArray(),
                p.stream().mapToDouble(Double::doubleValue).toArray());
    }

    public double probability(double score) {
        int i = Arrays.binarySearch(upperScores, score);
        if (i < 0) {
            i = -i - 1; // the first step whose upper score is above the score
        }
        if (method.equals("quantile") && i == upperScores.length) {
            return 1; // beyond every normal score seen: more unusual than any of them
        }
        if (i == upperScores.length) {
            return probabilities[i - 1];
        }
        if (lowerScores != null && i > 0 && score < lowerScores[i]) {
            double share = (score - upperScores[i - 1]) / (lowerScores[i] - upperScores[i - 1]);
            return probabilities[i - 1] + share * (probabilities[i] - probabilities[i - 1]);
        }
        return probabilities[i];
    }
}
