package dev.byoe.jobs.tune;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.ToDoubleFunction;
import org.junit.jupiter.api.Test;

class SearchStrategyTest {
    private static final SearchSpace SQUARE =
            new SearchSpace(
                    List.of(
                            new ParameterRange.Continuous("x", 0, 1, Scaling.LINEAR),
                            new ParameterRange.Continuous("y", 0, 1, Scaling.LINEAR)));

    /** A smooth bowl with its minimum (0) away from the centre and the corners. */
    private static double bowl(Map<String, String> hp) {
        double x = Double.parseDouble(hp.get("x"));
        double y = Double.parseDouble(hp.get("y"));
        return Math.pow(x - 0.73, 2) + Math.pow(y - 0.21, 2);
    }

    /** Runs a strategy sequentially to the end; returns the best score. */
    private static double bestOf(SearchStrategy strategy, ToDoubleFunction<Map<String, String>> f) {
        List<Outcome> done = new ArrayList<>();
        double best = Double.POSITIVE_INFINITY;
        while (strategy.next(List.copyOf(done), List.of())
                instanceof SearchStrategy.Launch(Candidate c)) {
            double v = f.applyAsDouble(c.hyperparameters());
            done.add(new Outcome(c, v));
            best = Math.min(best, v);
        }
        return best;
    }

    @Test
    void gaussianProcessWithExpectedImprovementBeatsRandomAtEqualBudget() {
        int budget = 15;
        int bayesWins = 0;
        double bayesTotal = 0;
        double randomTotal = 0;
        for (long seed = 1; seed <= 8; seed++) {
            double bayes =
                    bestOf(new BayesianSearch(SQUARE, budget, seed), SearchStrategyTest::bowl);
            double random =
                    bestOf(new RandomSearch(SQUARE, budget, seed), SearchStrategyTest::bowl);
            bayesTotal += bayes;
            randomTotal += random;
            bayesWins += bayes < random ? 1 : 0;
        }
        assertTrue(bayesWins >= 6, "Bayesian better in " + bayesWins + " of 8 seeds");
        assertTrue(
                bayesTotal < randomTotal / 3,
                "mean best: Bayesian " + bayesTotal / 8 + ", random " + randomTotal / 8);
    }

    @Test
    void bayesianDoesNotRepeatATrainedCombination() {
        SearchSpace grid =
                new SearchSpace(
                        List.of(
                                new ParameterRange.Integer("d", 1, 4, Scaling.LINEAR),
                                new ParameterRange.Categorical("g", List.of("a", "b"))));
        BayesianSearch s = new BayesianSearch(grid, 8, 3);
        List<Outcome> done = new ArrayList<>();
        Set<Map<String, String>> seen = new HashSet<>();
        while (s.next(List.copyOf(done), List.of()) instanceof SearchStrategy.Launch(Candidate c)) {
            seen.add(c.hyperparameters());
            done.add(new Outcome(c, Double.parseDouble(c.hyperparameters().get("d"))));
        }
        assertEquals(8, done.size());
        // 3 random starts may collide; after them every proposal is new, so at least 6 distinct of
        // the 8 possible.
        assertTrue(seen.size() >= 6, seen.toString());
    }

    @Test
    void randomStopsAtItsBudget() {
        RandomSearch s = new RandomSearch(SQUARE, 4, 1);
        assertEquals(0.0, bestOf(s, hp -> 0), 0);
        assertInstanceOf(SearchStrategy.Done.class, s.next(List.of(), List.of()));
    }

    @Test
    void gridEnumeratesEveryCombinationOnce() {
        SearchSpace space =
                new SearchSpace(
                        List.of(
                                new ParameterRange.Categorical("a", List.of("1", "2", "3")),
                                new ParameterRange.Categorical("b", List.of("x", "y"))));
        GridSearch grid = new GridSearch(space);
        List<String> seen = new ArrayList<>();
        bestOf(
                grid,
                hp -> {
                    seen.add(hp.get("a") + hp.get("b"));
                    return 0;
                });
        assertEquals(List.of("1x", "1y", "2x", "2y", "3x", "3y"), seen);
        assertEquals(6, grid.size());
    }

    @Test
    void hyperbandBracketsFollowSuccessiveHalving() {
        // R = 81 / 1, η = 3: the published table (Li et al., Table 1).
        List<List<HyperbandSearch.Rung>> b = HyperbandSearch.brackets(1, 81, 3);
        assertEquals(5, b.size());
        assertEquals(
                List.of(
                        new HyperbandSearch.Rung(81, 1),
                        new HyperbandSearch.Rung(27, 3),
                        new HyperbandSearch.Rung(9, 9),
                        new HyperbandSearch.Rung(3, 27),
                        new HyperbandSearch.Rung(1, 81)),
                b.get(0));
        assertEquals(
                List.of(
                        new HyperbandSearch.Rung(34, 3),
                        new HyperbandSearch.Rung(11, 9),
                        new HyperbandSearch.Rung(3, 27),
                        new HyperbandSearch.Rung(1, 81)),
                b.get(1));
        assertEquals(
                List.of(
                        new HyperbandSearch.Rung(15, 9),
                        new HyperbandSearch.Rung(5, 27),
                        new HyperbandSearch.Rung(1, 81)),
                b.get(2));
        assertEquals(
                List.of(new HyperbandSearch.Rung(8, 27), new HyperbandSearch.Rung(2, 81)),
                b.get(3));
        assertEquals(List.of(new HyperbandSearch.Rung(5, 81)), b.get(4));
    }

    @Test
    void hyperbandPromotesTheBestOfARungWithMoreRoundsAndWaitsForTheRung() {
        SearchSpace x =
                new SearchSpace(List.of(new ParameterRange.Continuous("x", 0, 1, Scaling.LINEAR)));
        HyperbandSearch s =
                new HyperbandSearch(x, new TuningConfig.Hyperband("num_round", 10, 90), 100, 5);
        // Brackets for [10, 90]: s_max = 2; the first is 9 x 10 rounds, 3 x 30, 1 x 90.
        assertEquals(
                List.of(
                        new HyperbandSearch.Rung(9, 10),
                        new HyperbandSearch.Rung(3, 30),
                        new HyperbandSearch.Rung(1, 90)),
                s.brackets().getFirst());
        List<Candidate> first = new ArrayList<>();
        for (int i = 0; i < 9; i++) {
            first.add(((SearchStrategy.Launch) s.next(List.of(), List.copyOf(first))).candidate());
        }
        first.forEach(c -> assertEquals("10", c.hyperparameters().get("num_round")));
        assertInstanceOf(SearchStrategy.Wait.class, s.next(List.of(), first));
        List<Outcome> done = new ArrayList<>();
        first.forEach(
                c ->
                        done.add(
                                new Outcome(
                                        c,
                                        Math.abs(
                                                Double.parseDouble(c.hyperparameters().get("x"))
                                                        - 0.5))));
        List<Double> expected =
                done.stream()
                        .sorted(java.util.Comparator.comparingDouble(Outcome::score))
                        .limit(3)
                        .map(o -> o.candidate().point()[0])
                        .toList();
        List<Double> promoted = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Candidate c =
                    ((SearchStrategy.Launch) s.next(List.copyOf(done), List.of())).candidate();
            assertEquals("30", c.hyperparameters().get("num_round"));
            promoted.add(c.point()[0]);
        }
        assertEquals(expected, promoted);
    }
}
