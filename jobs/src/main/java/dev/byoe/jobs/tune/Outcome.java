package dev.byoe.jobs.tune;

/**
 * What a finished trial tells a strategy: its candidate and a score where lower is better (the
 * objective, negated for Maximize), or {@code null} when the trial gave no objective.
 */
public record Outcome(Candidate candidate, Double score) {}
