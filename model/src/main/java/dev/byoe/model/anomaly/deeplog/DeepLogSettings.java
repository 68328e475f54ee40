package dev.byoe.model.anomaly.deeplog;

/**
 * DeepLog's hyperparameters (paper defaults h=10, L=2, alpha=64, g=9) and the training loop's.
 * {@code minMisses}: how many events outside the top-g make a session anomalous (the paper: 1).
 * {@code endOfSession}: the end of a session is one more event to predict, so that a session that
 * stops where normal ones go on is caught (the paper has no such event).
 */
public record DeepLogSettings(
        int window,
        int layers,
        int hidden,
        int topG,
        int epochs,
        int batchSize,
        double learningRate,
        int minMisses,
        boolean endOfSession,
        long seed) {

    /** Output classes: the events, plus the end of a session when it is predicted. */
    public int classes(int eventCount) {
        return eventCount + (endOfSession ? 1 : 0);
    }
}
