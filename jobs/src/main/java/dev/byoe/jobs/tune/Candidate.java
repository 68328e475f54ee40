package dev.byoe.jobs.tune;

import java.util.Map;

/**
 * Hyperparameters a strategy wants trained: its point in the unit cube of the search space and the
 * string values a trial receives (tuned ones only; static ones are added by the runner).
 */
public record Candidate(int id, double[] point, Map<String, String> hyperparameters) {}
