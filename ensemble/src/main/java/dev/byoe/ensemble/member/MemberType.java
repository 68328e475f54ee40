package dev.byoe.ensemble.member;

import dev.byoe.ensemble.data.FeatureSchema;
import dev.byoe.ensemble.data.Target;
import java.nio.file.Path;
import java.util.List;

/** A kind of ensemble member: its name, its hyperparameters, how to train it and how to load it. */
public interface MemberType {
    /** Lower-case name used in {@code members=...} and as the prefix of its hyperparameters. */
    String name();

    /**
     * Its hyperparameters. Names that also exist ensemble-wide ({@code num_round}, {@code
     * max_depth}, {@code eta}) take the ensemble-wide value unless overridden with {@code
     * <member>.<name>}.
     */
    List<HyperparameterDefinition> hyperparameters();

    MemberTrainer trainer(MemberSettings settings);

    /** Loads a model that {@link MemberModel#save} wrote into {@code directory}. */
    MemberModel load(Path directory, FeatureSchema schema, Target target) throws MemberException;
}
