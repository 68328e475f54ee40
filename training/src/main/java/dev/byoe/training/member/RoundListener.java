package dev.byoe.training.member;

import dev.byoe.core.data.Predictions;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Hears a boosting member's evaluation after each round: its own figures ({@code rmse}, {@code
 * logloss}, ...) and, on request, its predictions of the evaluation rows at that round, so that the
 * caller can score the whole ensemble round by round.
 */
@FunctionalInterface
public interface RoundListener {
    RoundListener NONE = (round, figures, predictions) -> {};

    void round(int round, Map<String, Double> figures, Supplier<Predictions> predictions);
}
