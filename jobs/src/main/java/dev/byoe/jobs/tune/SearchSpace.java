package dev.byoe.jobs.tune;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** The tuned ranges as a unit cube: one dimension per range, scaled by its ScalingType. */
public record SearchSpace(List<ParameterRange> ranges) {
    public int dimensions() {
        return ranges.size();
    }

    public Map<String, String> valuesAt(double[] point) {
        Map<String, String> out = new LinkedHashMap<>();
        for (int i = 0; i < ranges.size(); i++) {
            out.put(ranges.get(i).name(), ranges.get(i).valueAt(point[i]));
        }
        return out;
    }

    public double[] randomPoint(Random random) {
        double[] p = new double[ranges.size()];
        for (int i = 0; i < p.length; i++) {
            p[i] = random.nextDouble();
        }
        return p;
    }

    public Candidate candidate(int id, double[] point) {
        return new Candidate(id, point, valuesAt(point));
    }
}
