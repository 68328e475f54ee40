/**
 * What a trained tabular member is to its reader: a {@link dev.byoe.model.member.MemberModel} that
 * predicts and saves itself in its library's format, and the {@link
 * dev.byoe.model.member.MemberFormats} that turn a manifest's type name into a loader; {@link
 * dev.byoe.model.member.WalkFile} keeps the trees a member walks in Java beside its library's file.
 */
package dev.byoe.model.member;
