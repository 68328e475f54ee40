package dev.byoe.jobs.monitor;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Checks a profile of current data against the baseline's constraints and statistics. Also keeps
 * each feature's drift distance, for the metrics and the report.
 */
final class ConstraintChecker {
    private final ConstraintsFile.Constraints constraints;
    private final Map<String, StatisticsFile.Feature> baseline;
    private final Map<String, Double> distances = new LinkedHashMap<>();

    /**
     * @param baseline baseline statistics by feature; empty when none were given (no drift check
     *     then)
     */
    ConstraintChecker(
            ConstraintsFile.Constraints constraints, Map<String, StatisticsFile.Feature> baseline) {
        this.constraints = constraints;
        this.baseline = baseline;
    }

    List<Violation> check(DatasetProfile current) {
        List<Violation> out = new ArrayList<>();
        if (!constraints.config().evaluate()) {
            return out;
        }
        for (ConstraintsFile.Feature expected : constraints.features().values()) {
            FeatureProfile seen = current.feature(expected.name());
            if (seen == null) {
                out.add(
                        new Violation(
                                expected.name(),
                                Violation.MISSING_COLUMN,
                                "Baseline feature '"
                                        + expected.name()
                                        + "' is not in the current data ("
                                        + current.names().size()
                                        + " columns, baseline "
                                        + constraints.features().size()
                                        + ")."));
                continue;
            }
            if (expected.config().evaluate()) {
                checkFeature(expected, seen, current.items(), out);
            }
        }
        for (String name : current.names()) {
            if (!constraints.features().containsKey(name)) {
                out.add(
                        new Violation(
                                name,
                                Violation.EXTRA_COLUMN,
                                "Column '"
                                        + name
                                        + "' is in the current data but not in the baseline constraints."));
            }
        }
        return out;
    }

    private void checkFeature(
            ConstraintsFile.Feature expected,
            FeatureProfile seen,
            long items,
            List<Violation> out) {
        MonitoringConfig config = expected.config();
        if (seen.present > 0) {
            double mismatched = (double) seen.mismatches(expected.type()) / seen.present;
            if (mismatched > config.datatypeThreshold()) {
                // The sentence of SageMaker's own monitor, which its tooling reads.
                out.add(
                        new Violation(
                                expected.name(),
                                Violation.DATA_TYPE,
                                String.format(
                                        Locale.ROOT,
                                        "Data type match requirement is not met. Expected data type: %s, Expected match: %s%%. "
                                                + "Observed: Only %s%% of data is %s.",
                                        expected.type(),
                                        percent(1 - config.datatypeThreshold()),
                                        percent(1 - mismatched),
                                        expected.type())));
            }
        }
        double completeness = items == 0 ? 0 : (double) seen.present / items;
        if (completeness < expected.completeness() - 1e-9) {
            out.add(
                    new Violation(
                            expected.name(),
                            Violation.COMPLETENESS,
                            String.format(
                                    Locale.ROOT,
                                    "Data completeness requirement is not met. Baseline completeness: %.4f; current: %.4f (%d of %d values missing).",
                                    expected.completeness(),
                                    completeness,
                                    items - seen.present,
                                    items)));
        }
        if (!expected.domains().isEmpty() && seen.present > 0) {
            long unknown = 0;
            List<String> examples = new ArrayList<>();
            for (Map.Entry<String, Long> e : seen.valueCounts().entrySet()) {
                if (!expected.domains().contains(e.getKey())) {
                    unknown += e.getValue();
                    if (examples.size() < 5) {
                        examples.add(e.getKey());
                    }
                }
            }
            double share = (double) unknown / seen.present;
            if (share > config.domainThreshold()) {
                out.add(
                        new Violation(
                                expected.name(),
                                Violation.CATEGORICAL_VALUES,
                                String.format(
                                        Locale.ROOT,
                                        "Categorical value requirement is not met. Expected match: %s%%. Observed: Only %s%% of data "
                                                + "is within the baseline domain (values outside it include %s).",
                                        percent(1 - config.domainThreshold()),
                                        percent(1 - share),
                                        examples)));
            }
        }
        drift(expected, seen, config, out);
    }

    private void drift(
            ConstraintsFile.Feature expected,
            FeatureProfile seen,
            MonitoringConfig config,
            List<Violation> out) {
        StatisticsFile.Feature base = baseline.get(expected.name());
        if (base == null || base.distribution() == null) {
            return;
        }
        Distribution current = seen.distributionAs(expected.type());
        double distance = base.distribution().distance(current);
        if (Double.isNaN(distance)) {
            return;
        }
        distances.put(expected.name(), distance);
        if (!config.compare()) {
            return;
        }
        double threshold =
                expected.type().numeric()
                        ? config.comparisonThreshold()
                        : config.categoricalThreshold();
        double noise = MonitoringConfig.noise(base.distribution().count(), current.count());
        boolean drifted = (config.robust() ? distance - noise : distance) > threshold;
        if (drifted) {
            String method =
                    config.robust()
                            ? String.format(
                                    Locale.ROOT,
                                    "method Robust: less the 99%% chance level %.4f it is still %.4f",
                                    noise,
                                    distance - noise)
                            : "method Simple";
            out.add(
                    new Violation(
                            expected.name(),
                            Violation.BASELINE_DRIFT,
                            String.format(
                                    Locale.ROOT,
                                    "Baseline drift distance: %.4f exceeds threshold: %s (%s; %d baseline and %d current values).",
                                    distance,
                                    threshold,
                                    method,
                                    base.distribution().count(),
                                    current.count())));
        }
    }

    /**
     * A share as SageMaker's monitor prints it: a percentage with at least one decimal, no trailing
     * zeros past it.
     */
    static String percent(double share) {
        String s =
                java.math.BigDecimal.valueOf(share * 100)
                        .round(new java.math.MathContext(15))
                        .stripTrailingZeros()
                        .toPlainString();
        return s.contains(".") ? s : s + ".0";
    }

    Map<String, Double> distances() {
        return distances;
    }
}
