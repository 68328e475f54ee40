package dev.byoe.training.member;

import dev.byoe.core.data.Dataset;
import dev.byoe.model.member.MemberException;
import dev.byoe.model.member.MemberModel;

/** Trains one member on a dataset. Configured once; {@link #train} may be called per fold. */
@FunctionalInterface
public interface MemberTrainer {
    MemberModel train(Dataset data) throws MemberException;

    /**
     * Trains as asked. A trainer that cannot evaluate while training ignores the evaluation rows;
     * one that is not {@link #dataParallel()} is never asked to train on a share.
     */
    default MemberFit fit(Dataset data, FitRequest request) throws MemberException {
        if (request.dataParallel()) {
            throw new IllegalStateException("this member does not train on several hosts at once");
        }
        return new MemberFit(train(data), 0);
    }

    /**
     * Whether several hosts can train one model together, each on a share of the rows (XGBoost's
     * collective); other members train a whole model on one host.
     */
    default boolean dataParallel() {
        return false;
    }

    /**
     * Points per feature of the {@link FeatureGrid} it bins values on, 0 if it does not: the grid
     * several hosts must share to train the model one host would.
     */
    default int gridPoints() {
        return 0;
    }

    /** Whether it stops early on its own evaluation ({@code early_stopping_rounds} set). */
    default boolean stopsEarly() {
        return false;
    }
}
