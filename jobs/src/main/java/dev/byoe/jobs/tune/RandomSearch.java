package dev.byoe.jobs.tune;

import java.util.List;
import java.util.Random;

/**
 * Points drawn uniformly in the scaled space, so a Logarithmic range is sampled evenly per decade.
 */
public final class RandomSearch implements SearchStrategy {
    private final SearchSpace space;
    private final int budget;
    private final Random random;
    private int proposed;

    public RandomSearch(SearchSpace space, int budget, long seed) {
        this.space = space;
        this.budget = budget;
        this.random = new Random(seed);
    }

    @Override
    public Step next(List<Outcome> finished, List<Candidate> running) {
        if (proposed >= budget) {
            return new Done();
        }
        return new Launch(space.candidate(proposed++, space.randomPoint(random)));
    }
}
