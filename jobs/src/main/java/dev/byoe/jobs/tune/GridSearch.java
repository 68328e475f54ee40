package dev.byoe.jobs.tune;

import java.util.List;

/** Every combination of the categorical values, in order (the last range varies fastest). */
public final class GridSearch implements SearchStrategy {
    private final SearchSpace space;
    private final int total;
    private int proposed;

    public GridSearch(SearchSpace space) {
        this.space = space;
        int n = 1;
        for (ParameterRange r : space.ranges()) {
            n *= ((ParameterRange.Categorical) r).values().size();
        }
        this.total = n;
    }

    public int size() {
        return total;
    }

    @Override
    public Step next(List<Outcome> finished, List<Candidate> running) {
        if (proposed >= total) {
            return new Done();
        }
        int index = proposed;
        double[] point = new double[space.dimensions()];
        for (int d = space.dimensions() - 1; d >= 0; d--) {
            ParameterRange.Categorical c = (ParameterRange.Categorical) space.ranges().get(d);
            point[d] = c.unitOf(index % c.values().size());
            index /= c.values().size();
        }
        return new Launch(space.candidate(proposed++, point));
    }
}
