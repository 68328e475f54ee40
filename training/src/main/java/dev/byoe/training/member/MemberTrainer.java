package dev.byoe.training.member;

import dev.byoe.core.data.Dataset;
import dev.byoe.model.member.MemberException;
import dev.byoe.model.member.MemberModel;

/** Trains one member on a dataset. Configured once; {@link #train} may be called per fold. */
@FunctionalInterface
public interface MemberTrainer {
    MemberModel train(Dataset data) throws MemberException;
}
