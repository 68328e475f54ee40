package dev.byoe.training.member;

import dev.byoe.model.member.MemberModel;

/**
 * A trained member and the boosting rounds it kept: fewer than asked when early stopping ended it,
 * 0 for a member that does not train in rounds or was not evaluated while training.
 */
public record MemberFit(MemberModel model, int keptRounds) {}
