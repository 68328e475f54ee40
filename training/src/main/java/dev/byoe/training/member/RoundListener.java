package dev.byoe.training.member;

import java.util.Map;

/** Hears a boosting member's evaluation after each round ({@code rmse}, {@code logloss}, ...). */
@FunctionalInterface
public interface RoundListener {
    RoundListener NONE = (round, figures) -> {};

    void round(int round, Map<String, Double> figures);
}
