package dev.byoe.ensemble.anomaly;

import dev.byoe.ensemble.member.MemberException;

/** Trains one log member. Configured once from its hyperparameters. */
@FunctionalInterface
public interface AnomalyTrainer {
    AnomalyDetector train(LabelledSessions train, TrainingContext context) throws MemberException;
}
