package dev.byoe.jobs.tune;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import smile.math.kernel.GaussianKernel;
import smile.math.special.Erf;
import smile.regression.GaussianProcessRegression;

/**
 * Bayesian optimisation: a Gaussian process (Smile's {@link GaussianProcessRegression}, Gaussian
 * kernel) is fitted to the scores seen so far in the unit cube, and the next point is the one of
 * many random and near-best candidates with the highest expected improvement. The first few trials
 * are random, to give the process something to fit. Trials still running count as if they had
 * scored the mean so far ("constant liar"), so parallel proposals spread out instead of piling onto
 * one point.
 */
public final class BayesianSearch implements SearchStrategy {
    private static final double LENGTH_SCALE = 0.25;
    private static final double NOISE = 0.01;
    private static final int RANDOM_CANDIDATES = 1000;
    private static final int LOCAL_CANDIDATES = 300;

    private final SearchSpace space;
    private final int budget;
    private final int initialRandom;
    private final Random random;
    private int proposed;

    public BayesianSearch(SearchSpace space, int budget, long seed) {
        this.space = space;
        this.budget = budget;
        this.initialRandom = Math.max(3, Math.min(space.dimensions() + 1, 5));
        this.random = new Random(seed);
    }

    @Override
    public Step next(List<Outcome> finished, List<Candidate> running) {
        if (proposed >= budget) {
            return new Done();
        }
        List<Outcome> scored = finished.stream().filter(o -> o.score() != null).toList();
        double[] point =
                scored.size() < Math.min(initialRandom, budget) || proposed < initialRandom
                        ? space.randomPoint(random)
                        : mostPromising(scored, running, finished);
        return new Launch(space.candidate(proposed++, point));
    }

    private double[] mostPromising(
            List<Outcome> scored, List<Candidate> running, List<Outcome> finished) {
        double mean = scored.stream().mapToDouble(Outcome::score).average().orElse(0);
        List<double[]> xs = new ArrayList<>();
        List<Double> ys = new ArrayList<>();
        double best = Double.POSITIVE_INFINITY;
        double[] bestPoint = null;
        for (Outcome o : scored) {
            xs.add(o.candidate().point());
            ys.add(o.score());
            if (o.score() < best) {
                best = o.score();
                bestPoint = o.candidate().point();
            }
        }
        for (Candidate c : running) {
            xs.add(c.point());
            ys.add(mean);
        }
        GaussianProcessRegression<double[]> gp =
                GaussianProcessRegression.fit(
                        xs.toArray(double[][]::new),
                        ys.stream().mapToDouble(Double::doubleValue).toArray(),
                        new GaussianKernel(LENGTH_SCALE),
                        new GaussianProcessRegression.Options(NOISE, true));

        Set<Map<String, String>> tried = new HashSet<>();
        finished.forEach(o -> tried.add(o.candidate().hyperparameters()));
        running.forEach(c -> tried.add(c.hyperparameters()));
        double[] choice = null;
        double choiceEi = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < RANDOM_CANDIDATES + LOCAL_CANDIDATES; i++) {
            double[] x = i < RANDOM_CANDIDATES ? space.randomPoint(random) : near(bestPoint);
            if (tried.contains(space.valuesAt(x))) {
                continue; // integer and categorical ranges make many points the same trial
            }
            double ei = expectedImprovement(gp, x, best);
            if (ei > choiceEi) {
                choiceEi = ei;
                choice = x;
            }
        }
        return choice != null ? choice : space.randomPoint(random);
    }

    private double[] near(double[] centre) {
        double[] x = centre.clone();
        for (int d = 0; d < x.length; d++) {
            x[d] = Math.min(1, Math.max(0, x[d] + 0.08 * random.nextGaussian()));
        }
        return x;
    }

    /**
     * EI of a point for minimisation: E[max(best - f(x), 0)] under the process's normal posterior.
     */
    static double expectedImprovement(
            GaussianProcessRegression<double[]> gp, double[] x, double best) {
        double[] estimate = new double[2];
        double mu = gp.predict(x, estimate);
        double sd = estimate[1];
        if (!(sd > 1e-12)) {
            return Math.max(0, best - mu);
        }
        double z = (best - mu) / sd;
        double cdf = 0.5 * Erf.erfc(-z / Math.sqrt(2));
        double pdf = Math.exp(-0.5 * z * z) / Math.sqrt(2 * Math.PI);
        return (best - mu) * cdf + sd * pdf;
    }
}
