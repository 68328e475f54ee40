package dev.byoe.jobs.monitor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Locale;

/**
 * {@code monitoring_config} of {@code constraints.json}, and per feature its {@code
 * monitoringConfigOverrides}.
 *
 * @param datatypeThreshold data_type_check fires when the share of present values of another type
 *     exceeds it
 * @param domainThreshold categorical_values_check fires when the share of values outside the domain
 *     exceeds it
 * @param comparisonThreshold baseline_drift_check on numbers: the largest CDF difference allowed
 * @param method {@code Simple}: the observed distance must not exceed the threshold; {@code
 *     Robust}: its lower 99% confidence bound (the distance less what two samples of these sizes
 *     differ by at random) must not, so that small samples do not raise false alarms
 * @param categoricalThreshold baseline_drift_check on strings: the largest difference of a value's
 *     share allowed
 */
record MonitoringConfig(
        boolean evaluate,
        boolean emitMetrics,
        double datatypeThreshold,
        double domainThreshold,
        boolean compare,
        double comparisonThreshold,
        String method,
        double categoricalThreshold) {
    static final MonitoringConfig DEFAULT =
            new MonitoringConfig(true, true, 0.1, 0.1, true, 0.1, "Robust", 0.1);

    /** Two-sample Kolmogorov-Smirnov coefficient c(alpha) at alpha = 0.01. */
    private static final double KS_99 = 1.628;

    boolean robust() {
        return method.equalsIgnoreCase("Robust");
    }

    /** The distance two samples of n and m values exceed by chance 1% of the time. */
    static double noise(long n, long m) {
        return KS_99 * Math.sqrt((double) (n + m) / ((double) n * m));
    }

    static MonitoringConfig read(JsonNode node, MonitoringConfig defaults) {
        if (node == null || !node.isObject()) {
            return defaults;
        }
        JsonNode dist = node.path("distribution_constraints");
        // SageMaker's own schema page once spelled it "comparion_method"; accept both.
        String method =
                dist.path("comparison_method")
                        .asText(dist.path("comparion_method").asText(defaults.method));
        if (!method.equalsIgnoreCase("Simple") && !method.equalsIgnoreCase("Robust")) {
            throw new dev.byoe.core.JobFailure(
                    "distribution_constraints.comparison_method must be Simple or Robust, got '"
                            + method
                            + "'");
        }
        String drift = dist.path("categorical_drift_method").asText("LInfinity");
        if (!drift.equalsIgnoreCase("LInfinity")) {
            throw new dev.byoe.core.JobFailure(
                    "distribution_constraints.categorical_drift_method '"
                            + drift
                            + "' is not supported; use LInfinity");
        }
        return new MonitoringConfig(
                enabled(node.path("evaluate_constraints"), defaults.evaluate),
                enabled(node.path("emit_metrics"), defaults.emitMetrics),
                number(node.path("datatype_check_threshold"), defaults.datatypeThreshold),
                number(node.path("domain_content_threshold"), defaults.domainThreshold),
                enabled(dist.path("perform_comparison"), defaults.compare),
                number(dist.path("comparison_threshold"), defaults.comparisonThreshold),
                method,
                number(
                        dist.path("categorical_comparison_threshold"),
                        defaults.categoricalThreshold));
    }

    void write(ObjectNode node) {
        node.put("evaluate_constraints", evaluate ? "Enabled" : "Disabled");
        node.put("emit_metrics", emitMetrics ? "Enabled" : "Disabled");
        node.put("datatype_check_threshold", datatypeThreshold);
        node.put("domain_content_threshold", domainThreshold);
        ObjectNode dist = node.putObject("distribution_constraints");
        dist.put("perform_comparison", compare ? "Enabled" : "Disabled");
        dist.put("comparison_threshold", comparisonThreshold);
        dist.put("comparison_method", method);
        dist.put("categorical_comparison_threshold", categoricalThreshold);
        dist.put("categorical_drift_method", "LInfinity");
    }

    private static boolean enabled(JsonNode v, boolean def) {
        return v.isMissingNode() || v.isNull()
                ? def
                : v.asText().toLowerCase(Locale.ROOT).matches("enabled|true");
    }

    private static double number(JsonNode v, double def) {
        return v.isNumber() || v.isTextual() && !v.asText().isBlank() ? v.asDouble(def) : def;
    }
}
