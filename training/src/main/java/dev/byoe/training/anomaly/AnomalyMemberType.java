package dev.byoe.training.anomaly;

import dev.byoe.model.anomaly.DetectorFormat;
import dev.byoe.training.member.HyperparameterDefinition;
import dev.byoe.training.member.MemberSettings;
import java.util.List;

/** A kind of log-anomaly member: its hyperparameters, its trainer and the format it saves in. */
public interface AnomalyMemberType {
    /**
     * Lower-case name used in {@code members=...}, as the prefix of its hyperparameters and in the
     * manifest: its format's name, so what is trained is what serving loads.
     */
    default String name() {
        return format().name();
    }

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

    /**
     * How the detectors its trainer makes are read back (the model module's side of the member).
     */
    DetectorFormat format();
}
