package dev.byoe.jobs.tune;

import com.fasterxml.jackson.databind.JsonNode;
import dev.byoe.jobs.train.config.HyperparameterSpec;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads {@code ParameterRanges}: Integer, Continuous and Categorical ranges with SageMaker's bounds
 * rules.
 */
final class RangesReader {
    private final ConfigFindings findings;
    private final List<String> problems;

    RangesReader(ConfigFindings findings) {
        this.findings = findings;
        this.problems = findings.problems;
    }

    List<ParameterRange> read(JsonNode node) {
        List<ParameterRange> out = new ArrayList<>();
        if (node == null || !node.isObject()) {
            problems.add(
                    "HyperParameterTuningJobConfig.ParameterRanges is required: at least one of "
                            + "IntegerParameterRanges, ContinuousParameterRanges, CategoricalParameterRanges");
            return out;
        }
        findings.known(
                node,
                "ParameterRanges.",
                Set.of(
                        "IntegerParameterRanges",
                        "ContinuousParameterRanges",
                        "CategoricalParameterRanges"));
        for (JsonNode r : node.path("IntegerParameterRanges")) {
            String where = "IntegerParameterRanges[" + findings.text(r, "Name", true) + "]";
            findings.known(r, where + ".", Set.of("Name", "MinValue", "MaxValue", "ScalingType"));
            Long min = integer(r, where, "MinValue");
            Long max = integer(r, where, "MaxValue");
            Scaling scaling = scaling(r, where);
            if (min == null
                    || max == null
                    || scaling == null
                    || r.path("Name").asText().isEmpty()) {
                continue;
            }
            if (checkBounds(where, min, max, scaling, false)) {
                out.add(new ParameterRange.Integer(r.get("Name").asText(), min, max, scaling));
            }
        }
        for (JsonNode r : node.path("ContinuousParameterRanges")) {
            String where = "ContinuousParameterRanges[" + findings.text(r, "Name", true) + "]";
            findings.known(r, where + ".", Set.of("Name", "MinValue", "MaxValue", "ScalingType"));
            Double min = number(r, where, "MinValue");
            Double max = number(r, where, "MaxValue");
            Scaling scaling = scaling(r, where);
            if (min == null
                    || max == null
                    || scaling == null
                    || r.path("Name").asText().isEmpty()) {
                continue;
            }
            if (checkBounds(where, min, max, scaling, true)) {
                out.add(new ParameterRange.Continuous(r.get("Name").asText(), min, max, scaling));
            }
        }
        for (JsonNode r : node.path("CategoricalParameterRanges")) {
            String where = "CategoricalParameterRanges[" + findings.text(r, "Name", true) + "]";
            findings.known(r, where + ".", Set.of("Name", "Values"));
            List<String> values = new ArrayList<>();
            r.path("Values").forEach(v -> values.add(v.asText()));
            if (values.isEmpty()) {
                problems.add(where + ".Values must hold at least one value");
            } else if (values.size() > 30) {
                problems.add(
                        where
                                + ".Values has "
                                + values.size()
                                + " values; SageMaker allows at most 30");
            } else if (new HashSet<>(values).size() != values.size()) {
                problems.add(where + ".Values has duplicates: " + values);
            } else if (!r.path("Name").asText().isEmpty()) {
                out.add(
                        new ParameterRange.Categorical(
                                r.get("Name").asText(), List.copyOf(values)));
            }
        }
        Set<String> names = new HashSet<>();
        for (ParameterRange r : out) {
            if (!names.add(r.name())) {
                problems.add(
                        "ParameterRanges: hyperparameter '"
                                + r.name()
                                + "' has more than one range");
            }
            if (r.name().equals(HyperparameterSpec.TUNING_OBJECTIVE)) {
                problems.add("ParameterRanges: " + r.name() + " is set by the tuning job itself");
            }
        }
        if (out.isEmpty() && problems.isEmpty()) {
            problems.add(
                    "ParameterRanges holds no range; a tuning job needs at least one hyperparameter to search");
        }
        if (out.size() > 30) {
            problems.add(
                    "ParameterRanges has "
                            + out.size()
                            + " hyperparameters; SageMaker allows at most 30");
        }
        return out;
    }

    private boolean checkBounds(
            String where, double min, double max, Scaling scaling, boolean continuous) {
        if (min > max) {
            problems.add(where + ": MinValue " + min + " is greater than MaxValue " + max);
            return false;
        }
        if (scaling == Scaling.LOGARITHMIC && min <= 0) {
            problems.add(where + ": Logarithmic scaling needs MinValue > 0 (got " + min + ")");
            return false;
        }
        if (scaling == Scaling.REVERSE_LOGARITHMIC && !continuous) {
            problems.add(where + ": ReverseLogarithmic scaling is only for continuous ranges");
            return false;
        }
        if (scaling == Scaling.REVERSE_LOGARITHMIC && (min < 0 || max >= 1)) {
            problems.add(
                    where
                            + ": ReverseLogarithmic scaling needs 0 <= MinValue and MaxValue < 1 (got ["
                            + min
                            + ", "
                            + max
                            + "])");
            return false;
        }
        return true;
    }

    private Scaling scaling(JsonNode r, String where) {
        String s = r.path("ScalingType").asText("Auto");
        try {
            return Scaling.fromSageMaker(s);
        } catch (IllegalArgumentException e) {
            problems.add(where + ": " + e.getMessage());
            return null;
        }
    }

    private Long integer(JsonNode r, String where, String field) {
        String v = findings.text(r, field, true, where + ".");
        try {
            return v == null ? null : Long.parseLong(v.strip());
        } catch (NumberFormatException e) {
            problems.add(where + "." + field + " '" + v + "' is not an integer");
            return null;
        }
    }

    private Double number(JsonNode r, String where, String field) {
        String v = findings.text(r, field, true, where + ".");
        try {
            double d = v == null ? Double.NaN : Double.parseDouble(v.strip());
            if (v != null && !Double.isFinite(d)) {
                throw new NumberFormatException();
            }
            return v == null ? null : d;
        } catch (NumberFormatException e) {
            problems.add(where + "." + field + " '" + v + "' is not a finite number");
            return null;
        }
    }
}
