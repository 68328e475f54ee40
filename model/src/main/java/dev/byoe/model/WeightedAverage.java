package dev.byoe.model;

import dev.byoe.core.data.Predictions;
import java.util.List;

/**
 * The ensemble's answer: the weighted mean of its members' outputs (probabilities for classifiers).
 */
public final class WeightedAverage {
    private WeightedAverage() {}

    /** {@code weights} need not sum to one; they are normalised here. */
    public static Predictions combine(List<Predictions> parts, double[] weights) {
        Predictions first = parts.getFirst();
        double total = 0;
        for (double w : weights) {
            total += w;
        }
        double[] out = new double[first.values().length];
        for (int m = 0; m < parts.size(); m++) {
            double w = weights[m] / total;
            double[] v = parts.get(m).values();
            for (int i = 0; i < out.length; i++) {
                out[i] += w * v[i];
            }
        }
        return new Predictions(first.rows(), first.width(), out);
    }
}
