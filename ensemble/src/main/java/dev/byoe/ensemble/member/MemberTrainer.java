package dev.byoe.ensemble.member;

import dev.byoe.ensemble.data.Dataset;

/** Trains one member on a dataset. Configured once; {@link #train} may be called per fold. */
@FunctionalInterface
public interface MemberTrainer {
    MemberModel train(Dataset data) throws MemberException;
}
