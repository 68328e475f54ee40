package dev.byoe.jobs.monitor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.byoe.core.JobFailure;
import dev.byoe.core.Json;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code constraints.json}: suggested from a baseline profile, and read back for a monitoring run.
 */
final class ConstraintsFile {
    /**
     * String features with at most this many distinct values get their observed values as the
     * domain.
     */
    static final int MAX_DOMAIN = 20;

    private static final ObjectMapper JSON = Json.MAPPER;

    /**
     * One feature's constraints.
     *
     * @param nonNegative {@code null} for string features
     * @param domains empty when the feature has no domain constraint
     * @param config the job's monitoring_config with this feature's overrides applied
     */
    record Feature(
            String name,
            FeatureType type,
            double completeness,
            Boolean nonNegative,
            List<String> domains,
            MonitoringConfig config) {}

    record Constraints(Map<String, Feature> features, MonitoringConfig config) {}

    private ConstraintsFile() {}

    static ObjectNode suggest(DatasetProfile profile, MonitoringConfig config) {
        ObjectNode root = JSON.createObjectNode();
        root.put("version", 0);
        ArrayNode features = root.putArray("features");
        for (FeatureProfile f : profile.features()) {
            ObjectNode node = features.addObject();
            FeatureType type = f.inferredType();
            node.put("name", f.name);
            node.put("inferred_type", type.name());
            node.put(
                    "completeness",
                    profile.items() == 0 ? 0 : (double) f.present / profile.items());
            if (type.numeric()) {
                node.putObject("num_constraints")
                        .put("is_non_negative", f.numbers() > 0 && f.min() >= 0);
            } else if (f.valuesExact() && f.distinctCount() <= MAX_DOMAIN) {
                ArrayNode domains = node.putObject("string_constraints").putArray("domains");
                f.valueCounts().keySet().stream().sorted().forEach(domains::add);
            }
            node.putObject("monitoringConfigOverrides");
        }
        config.write(root.putObject("monitoring_config"));
        return root;
    }

    static Constraints read(Path file) {
        JsonNode root;
        try {
            root = JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new JobFailure(
                    "baseline_constraints " + file + " cannot be read: " + e.getMessage());
        }
        JsonNode features = root == null ? null : root.get("features");
        if (features == null || !features.isArray()) {
            throw new JobFailure("baseline_constraints " + file + " has no \"features\" array");
        }
        MonitoringConfig config =
                MonitoringConfig.read(root.get("monitoring_config"), MonitoringConfig.DEFAULT);
        Map<String, Feature> out = new LinkedHashMap<>();
        for (JsonNode f : features) {
            String name = f.path("name").asText(null);
            if (name == null) {
                throw new JobFailure(
                        "baseline_constraints " + file + ": a feature has no \"name\"");
            }
            JsonNode completeness = f.path("completeness");
            if (!completeness.isMissingNode()
                    && (!completeness.isNumber()
                            || completeness.asDouble() < 0
                            || completeness.asDouble() > 1)) {
                throw new JobFailure(
                        "baseline_constraints "
                                + file
                                + ": feature '"
                                + name
                                + "' has completeness "
                                + completeness
                                + "; it must be a number in [0, 1]");
            }
            JsonNode nonNegative = f.path("num_constraints").path("is_non_negative");
            List<String> domains = new ArrayList<>();
            f.path("string_constraints").path("domains").forEach(d -> domains.add(d.asText()));
            out.put(
                    name,
                    new Feature(
                            name,
                            FeatureType.parse(f.path("inferred_type").asText("Unknown")),
                            completeness.asDouble(0),
                            nonNegative.isBoolean() ? nonNegative.asBoolean() : null,
                            domains,
                            MonitoringConfig.read(
                                    overrides(f.path("monitoringConfigOverrides")), config)));
        }
        return new Constraints(out, config);
    }

    /** Overrides are flat ({@code "comparison_threshold": 0.2}); folded into the config's shape. */
    private static JsonNode overrides(JsonNode o) {
        if (!o.isObject() || o.isEmpty()) {
            return null;
        }
        ObjectNode shaped = o.deepCopy();
        ObjectNode dist = shaped.withObjectProperty("distribution_constraints");
        for (String key :
                List.of(
                        "comparison_threshold",
                        "comparison_method",
                        "categorical_comparison_threshold",
                        "perform_comparison")) {
            if (o.has(key)) {
                dist.set(key, o.get(key));
            }
        }
        return shaped;
    }
}
