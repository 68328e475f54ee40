package dev.byoe.training.member;

import dev.byoe.model.member.MemberFormat;
import java.util.List;

/** A kind of ensemble member: its hyperparameters, how to train it and the format it saves in. */
public interface MemberType {
    /**
     * Lower-case name used in {@code members=...}, as the prefix of its hyperparameters and in the
     * manifest: its format's name, so what is trained is what serving loads.
     */
    default String name() {
        return format().name();
    }

    /**
     * Its hyperparameters. Names that also exist ensemble-wide ({@code num_round}, {@code
     * max_depth}, {@code eta}) take the ensemble-wide value unless overridden with {@code
     * <member>.<name>}.
     */
    List<HyperparameterDefinition> hyperparameters();

    MemberTrainer trainer(MemberSettings settings);

    /** How the models its trainer makes are read back (the model module's side of the member). */
    MemberFormat format();
}
