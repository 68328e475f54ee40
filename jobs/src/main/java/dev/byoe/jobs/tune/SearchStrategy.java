package dev.byoe.jobs.tune;

import java.util.List;

/**
 * Proposes the next trial from what has finished and what is still running. Called from one thread.
 */
public interface SearchStrategy {
    sealed interface Step {}

    /** Train this candidate now. */
    record Launch(Candidate candidate) implements Step {}

    /**
     * Nothing to propose until a running trial finishes (e.g. a Hyperband rung is not complete).
     */
    record Wait() implements Step {}

    /** The budget is spent or the search is exhausted. */
    record Done() implements Step {}

    Step next(List<Outcome> finished, List<Candidate> running);

    static SearchStrategy of(TuningConfig config) {
        SearchSpace space = new SearchSpace(config.ranges());
        return switch (config.strategy()) {
            case RANDOM -> new RandomSearch(space, config.maxJobs(), config.randomSeed());
            case BAYESIAN -> new BayesianSearch(space, config.maxJobs(), config.randomSeed());
            case GRID -> new GridSearch(space);
            case HYPERBAND ->
                    new HyperbandSearch(
                            space, config.hyperband(), config.maxJobs(), config.randomSeed());
        };
    }
}
