/**
 * The training side of a member: a {@link dev.byoe.training.member.MemberType} declares its
 * hyperparameters, makes trainers and names the format its models are saved in. Adding a member is
 * one class here plus one line in {@link dev.byoe.training.member.MemberRegistry} (and its model
 * class registered in the model module's {@code MemberFormats}).
 */
package dev.byoe.training.member;
