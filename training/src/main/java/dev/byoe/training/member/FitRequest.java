package dev.byoe.training.member;

import dev.byoe.core.data.Dataset;
import java.nio.file.Path;
import java.util.Map;

/**
 * What a trainer is asked besides the rows it learns from.
 *
 * @param evaluation rows scored after every round (per-round lines, early stopping), or null
 * @param share the rows of the data this host trains on, in data-parallel training; null for all
 * @param rounds boosting rounds to train instead of the member's own setting; 0 keeps the setting
 * @param listener told each round's evaluation figures
 * @param collective the worker arguments of a running XGBoost tracker: train together with the
 *     other hosts, each on its share; empty to train alone
 * @param partial where a trainer that is stopped between rounds keeps its state, and where it finds
 *     it again to go on from that round; null to start afresh and keep nothing
 */
public record FitRequest(
        Dataset evaluation,
        int[] share,
        int rounds,
        RoundListener listener,
        Map<String, Object> collective,
        Path partial,
        float[][] grid) {
    public static final FitRequest ALONE =
            new FitRequest(null, null, 0, RoundListener.NONE, Map.of(), null, null);

    public FitRequest {
        collective = Map.copyOf(collective);
    }

    public FitRequest evaluatedOn(Dataset rows, RoundListener roundListener) {
        return new FitRequest(rows, share, rounds, roundListener, collective, partial, grid);
    }

    public FitRequest withRounds(int boostingRounds) {
        return new FitRequest(
                evaluation, share, boostingRounds, listener, collective, partial, grid);
    }

    public FitRequest together(int[] rows, Map<String, Object> workerArgs) {
        return new FitRequest(evaluation, rows, rounds, listener, workerArgs, partial, grid);
    }

    public FitRequest keepingStateIn(Path file) {
        return new FitRequest(evaluation, share, rounds, listener, collective, file, grid);
    }

    public FitRequest onGrid(float[][] points) {
        return new FitRequest(evaluation, share, rounds, listener, collective, partial, points);
    }

    public boolean dataParallel() {
        return !collective.isEmpty();
    }
}
