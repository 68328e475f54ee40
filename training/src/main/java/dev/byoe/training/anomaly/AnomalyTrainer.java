package dev.byoe.training.anomaly;

import dev.byoe.model.anomaly.AnomalyDetector;
import dev.byoe.model.member.MemberException;

/** Trains one log member. Configured once from its hyperparameters. */
@FunctionalInterface
public interface AnomalyTrainer {
    AnomalyDetector train(LabelledSessions train, TrainingContext context) throws MemberException;
}
