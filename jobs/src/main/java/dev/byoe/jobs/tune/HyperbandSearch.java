package dev.byoe.jobs.tune;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Hyperband (Li et al., JMLR 2018): brackets of successive halving over the boosting rounds.
 * Bracket s starts n random configurations with few rounds and keeps the best 1/η of each rung for
 * η times more rounds; brackets go from the most exploratory (many configurations, few rounds) to a
 * plain random search at MaxResource. A promoted configuration trains again from scratch with more
 * rounds: byoe trials are whole training jobs, not resumable ones.
 */
public final class HyperbandSearch implements SearchStrategy {
    public static final int ETA = 3;

    /** One rung: how many configurations train with how many rounds. */
    public record Rung(int configurations, int resource) {}

    private final SearchSpace space;
    private final String resourceName;
    private final int budget;
    private final Random random;
    private final List<List<Rung>> brackets;
    private int bracket;
    private int rung;
    private final Deque<double[]> queue = new ArrayDeque<>();
    private final Set<Integer> rungIds = new HashSet<>();
    private int proposed;

    public HyperbandSearch(
            SearchSpace space, TuningConfig.Hyperband config, int budget, long seed) {
        this.space = space;
        this.resourceName = config.resource();
        this.budget = budget;
        this.random = new Random(seed);
        this.brackets = brackets(config.minResource(), config.maxResource(), ETA);
        startRung(List.of());
    }

    /**
     * Brackets for resources in [min, max]: s_max = floor(log_η(max/min)), bracket s has s + 1
     * rungs.
     */
    public static List<List<Rung>> brackets(int min, int max, int eta) {
        int sMax = (int) Math.floor(Math.log((double) max / min) / Math.log(eta) + 1e-9);
        List<List<Rung>> out = new ArrayList<>();
        for (int s = sMax; s >= 0; s--) {
            int n = (int) Math.ceil((double) (sMax + 1) / (s + 1) * Math.pow(eta, s));
            List<Rung> rungs = new ArrayList<>();
            for (int i = 0; i <= s; i++) {
                int configurations = (int) Math.floor(n * Math.pow(eta, -i));
                int resource = (int) Math.round(max * Math.pow(eta, i - s));
                rungs.add(
                        new Rung(
                                Math.max(1, configurations),
                                Math.max(min, Math.min(max, resource))));
            }
            out.add(rungs);
        }
        return out;
    }

    public List<List<Rung>> brackets() {
        return brackets;
    }

    @Override
    public Step next(List<Outcome> finished, List<Candidate> running) {
        while (true) {
            if (proposed >= budget || bracket >= brackets.size()) {
                return new Done();
            }
            if (!queue.isEmpty()) {
                double[] point = queue.poll();
                Map<String, String> values = new LinkedHashMap<>(space.valuesAt(point));
                values.put(
                        resourceName, Integer.toString(brackets.get(bracket).get(rung).resource()));
                Candidate c = new Candidate(proposed++, point, values);
                rungIds.add(c.id());
                return new Launch(c);
            }
            List<Outcome> rungOutcomes =
                    finished.stream().filter(o -> rungIds.contains(o.candidate().id())).toList();
            if (rungOutcomes.size() < rungIds.size()) {
                return new Wait();
            }
            // The rung is complete: promote its best to the next rung, or move on to the next
            // bracket.
            List<double[]> survivors =
                    rungOutcomes.stream()
                            .filter(o -> o.score() != null)
                            .sorted(Comparator.comparingDouble(Outcome::score))
                            .map(o -> o.candidate().point())
                            .toList();
            rung++;
            if (rung >= brackets.get(bracket).size() || survivors.isEmpty()) {
                bracket++;
                rung = 0;
                survivors = List.of();
            }
            if (bracket < brackets.size()) {
                startRung(survivors);
            }
        }
    }

    private void startRung(List<double[]> ranked) {
        rungIds.clear();
        Rung r = brackets.get(bracket).get(rung);
        if (rung == 0) {
            for (int i = 0; i < r.configurations(); i++) {
                queue.add(space.randomPoint(random));
            }
        } else {
            queue.addAll(ranked.subList(0, Math.min(r.configurations(), ranked.size())));
        }
    }
}
