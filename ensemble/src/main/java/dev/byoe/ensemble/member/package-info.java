/**
 * The contract every ensemble member fulfils: a {@link dev.byoe.ensemble.member.MemberType}
 * declares its hyperparameters and makes trainers; a trainer returns an immutable {@link
 * dev.byoe.ensemble.member.MemberModel} that predicts and saves itself in its library's native
 * format. Adding a member is one class plus one line in {@link
 * dev.byoe.ensemble.member.MemberRegistry}.
 */
package dev.byoe.ensemble.member;
