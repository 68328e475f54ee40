package dev.byoe.jobs.tune;

import dev.byoe.jobs.train.Task;
import dev.byoe.jobs.train.config.HyperparameterSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks before any trial runs that {@code byoe train} accepts the static hyperparameters with both
 * ends of every range and every categorical value, so that a range reaching outside what training
 * allows fails in seconds rather than as a series of failed trials. Only for the tabular task,
 * whose hyperparameters {@link HyperparameterSpec} knows.
 */
final class RangeCheck {
    private RangeCheck() {}

    /** Problems reject the config; notes only inform. */
    record Findings(List<String> problems, List<String> notes) {}

    static Findings check(TuningConfig config) {
        List<String> problems = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        Findings findings = new Findings(problems, notes);
        if (Task.of(config.staticHyperparameters()) != Task.tabular) {
            return findings;
        }
        Map<String, String> base = new LinkedHashMap<>(config.staticHyperparameters());
        if (config.hyperband() != null) {
            base.put(
                    config.hyperband().resource(),
                    Integer.toString(config.hyperband().maxResource()));
        }
        if (!accepted(base, "StaticHyperParameters", problems)) {
            return findings;
        }
        for (ParameterRange r : config.ranges()) {
            List<String> values =
                    r instanceof ParameterRange.Categorical c
                            ? c.values()
                            : List.of(r.valueAt(0), r.valueAt(1));
            for (String v : values) {
                Map<String, String> hp = new LinkedHashMap<>(base);
                hp.put(r.name(), v);
                if (!accepted(hp, "ParameterRanges " + r.name() + "=" + v, problems)) {
                    break;
                }
            }
            if (r instanceof ParameterRange.Continuous c) {
                for (double end : new double[] {c.min(), c.max()}) {
                    Map<String, String> hp = new LinkedHashMap<>(base);
                    hp.put(r.name(), TuningReport.number(end));
                    if (!accepted(hp, "", new ArrayList<>())) {
                        notes.add(
                                "ContinuousParameterRanges["
                                        + r.name()
                                        + "]: "
                                        + TuningReport.number(end)
                                        + " itself is outside what byoe train accepts; trials get values strictly inside the range");
                    }
                }
            }
        }
        return findings;
    }

    private static boolean accepted(Map<String, String> hp, String where, List<String> problems) {
        try {
            HyperparameterSpec.parse(hp, w -> {});
            return true;
        } catch (IllegalArgumentException e) {
            problems.add(where + ": byoe train would reject it: " + e.getMessage());
            return false;
        }
    }
}
