package dev.byoe.ensemble.anomaly;

import dev.byoe.ensemble.member.HyperparameterDefinition;
import dev.byoe.ensemble.member.MemberException;
import dev.byoe.ensemble.member.MemberSettings;
import java.nio.file.Path;
import java.util.List;

/** A kind of log-anomaly member: its name, hyperparameters, trainer and loader. */
public interface AnomalyMemberType {
    /** Lower-case name used in {@code members=...} and as the prefix of its hyperparameters. */
    String name();

    List<HyperparameterDefinition> hyperparameters();

    /** Whether it learns from labels (and so needs labelled sessions of both kinds). */
    default boolean supervised() {
        return false;
    }

    /**
     * Whether it prints its training loss each epoch (a {@code <name>-train-loss=} line), which
     * tuning jobs can stop early on.
     */
    default boolean printsEpochLoss() {
        return false;
    }

    AnomalyTrainer trainer(MemberSettings settings);

    /** Loads a detector that {@link AnomalyDetector#save} wrote into {@code directory}. */
    AnomalyDetector load(Path directory) throws MemberException;
}
