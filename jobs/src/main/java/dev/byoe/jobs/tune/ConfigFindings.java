package dev.byoe.jobs.tune;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * What reading a tuning config found: problems (the config is rejected) and notes (fields that only
 * matter in the cloud), each naming its JSON field, plus the field helpers that record them.
 */
final class ConfigFindings {
    private static final Set<String> CLOUD_ONLY =
            Set.of(
                    "RoleArn",
                    "OutputDataConfig",
                    "ResourceConfig",
                    "VpcConfig",
                    "EnableNetworkIsolation",
                    "EnableInterContainerTrafficEncryption",
                    "EnableManagedSpotTraining",
                    "CheckpointConfig",
                    "RetryStrategy",
                    "DefinitionName",
                    "Tags",
                    "HyperParameterTuningResourceConfig",
                    "MaxWaitTimeInSeconds",
                    "MaxPendingTimeInSeconds");

    final List<String> problems = new ArrayList<>();
    final List<String> notes = new ArrayList<>();

    /** Cloud-only fields become notes; any other field not in {@code fields} is a problem. */
    void known(JsonNode node, String where, Set<String> fields) {
        if (node == null || !node.isObject()) {
            return;
        }
        for (String f : (Iterable<String>) node::fieldNames) {
            if (CLOUD_ONLY.contains(f)) {
                notes.add(where + f + " only matters in the cloud; ignored locally");
            } else if (!fields.contains(f)) {
                problems.add(
                        where
                                + f
                                + " is not supported by local tuning (supported here: "
                                + fields
                                + ")");
            }
        }
    }

    JsonNode object(JsonNode parent, String field) {
        JsonNode n = parent.get(field);
        if (n == null || !n.isObject()) {
            problems.add(field + " is required and must be a JSON object");
            return null;
        }
        return n;
    }

    String text(JsonNode node, String field, boolean required) {
        return text(node, field, required, "");
    }

    String text(JsonNode node, String field, boolean required, String where) {
        JsonNode v = node == null ? null : node.get(field);
        if (v == null || v.isNull() || v.asText().isEmpty()) {
            if (required) {
                problems.add(where + field + " is required");
            }
            return null;
        }
        return v.asText();
    }
}
