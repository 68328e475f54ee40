package dev.byoe.model;

/**
 * Told how long each member took to predict a batch, so that the server can report it without the
 * models knowing about metrics.
 */
@FunctionalInterface
public interface MemberTimes {
    /** Times nobody reads. */
    MemberTimes NONE = (member, nanos) -> {};

    void record(String member, long nanos);
}
