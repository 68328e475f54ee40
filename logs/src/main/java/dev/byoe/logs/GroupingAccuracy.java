package dev.byoe.logs;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Grouping accuracy (Zhu et al., ICSE-SEIP 2019): the share of lines whose parsed group is exactly
 * one ground-truth group, no more and no less.
 */
public final class GroupingAccuracy {
    private GroupingAccuracy() {}

    /** {@code truth[i]} and {@code parsed[i]} are the group keys of line i. */
    public static double of(List<String> truth, List<String> parsed) {
        if (truth.size() != parsed.size()) {
            throw new IllegalArgumentException(
                    truth.size() + " truth labels for " + parsed.size() + " lines");
        }
        Map<String, Integer> truthSizes = new HashMap<>();
        for (String t : truth) {
            truthSizes.merge(t, 1, Integer::sum);
        }
        Map<String, List<Integer>> groups = new HashMap<>();
        for (int i = 0; i < parsed.size(); i++) {
            groups.computeIfAbsent(parsed.get(i), k -> new ArrayList<>()).add(i);
        }
        long correct = 0;
        for (List<Integer> lines : groups.values()) {
            String t = truth.get(lines.get(0));
            boolean one = lines.stream().allMatch(i -> truth.get(i).equals(t));
            if (one && truthSizes.get(t) == lines.size()) {
                correct += lines.size();
            }
        }
        return truth.isEmpty() ? 1.0 : (double) correct / truth.size();
    }
}
