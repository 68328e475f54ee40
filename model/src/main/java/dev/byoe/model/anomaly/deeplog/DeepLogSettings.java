package dev.byoe.model.anomaly.deeplog;

/**
 * DeepLog's hyperparameters (paper defaults h=10, L=2, alpha=64, g=9) and the training loop's.
 * {@code minMisses}: how many events outside the top-g make a session anomalous (the paper: 1).
 * {@code endOfSession}: the end of a session is one more event to predict, so that a session that
 * stops where normal ones go on is caught (the paper has no such event). {@code endMinShare}: a
 * session may end only after an event that ended at least this share of the normal training
 * sessions (0: the end is judged by the top-g alone; see {@link SessionEnds}). {@code
 * knownTransitions}: a transition some normal training session made is never a miss ({@link
 * KnownTransitions}); models saved before it existed read as false.
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
        long seed,
        double endMinShare,
        boolean knownTransitions) {

    /** Output classes: the events, plus the end of a session when it is predicted. */
    public int classes(int eventCount) {
        return eventCount + (endOfSession ? 1 : 0);
    }

    /** The same settings deciding with another top-g. */
    public DeepLogSettings withTopG(int g) {
        return with(g, epochs);
    }

    /** The same settings trained for another number of epochs. */
    public DeepLogSettings withEpochs(int n) {
        return with(topG, n);
    }

    private DeepLogSettings with(int g, int n) {
        return new DeepLogSettings(
                window,
                layers,
                hidden,
                g,
                n,
                batchSize,
                learningRate,
                minMisses,
                endOfSession,
                seed,
                endMinShare,
                knownTransitions);
    }
}
