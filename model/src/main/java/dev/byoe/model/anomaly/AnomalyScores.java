package dev.byoe.model.anomaly;

/**
 * A detector's answer for a batch: one score per session (higher is more anomalous) and the
 * threshold above which a session is called anomalous.
 */
public record AnomalyScores(double[] scores, double threshold) {
    public int size() {
        return scores.length;
    }

    public boolean anomalous(int session) {
        return scores[session] > threshold;
    }

    public int[] labels() {
        int[] out = new int[scores.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = anomalous(i) ? 1 : 0;
        }
        return out;
    }
}
