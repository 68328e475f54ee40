package dev.byoe.jobs.monitor;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Rows in the JSON shapes the endpoint accepts: {@code {"instances": [row, ...]}}, {@code [row,
 * ...]} or one row, a row being an array, {@code {"features": [...]}} or an object keyed by feature
 * name.
 */
final class JsonRows {
    private JsonRows() {}

    static void emit(JsonNode node, DatasetProfile profile, List<String> names) {
        if (node.isObject() && node.has("instances")) {
            node.get("instances").forEach(row -> row(row, profile, names));
        } else if (node.isArray()
                && !node.isEmpty()
                && (node.get(0).isArray() || node.get(0).isObject())) {
            node.forEach(row -> row(row, profile, names));
        } else {
            row(node, profile, names);
        }
    }

    private static void row(JsonNode row, DatasetProfile profile, List<String> names) {
        if (row.isObject() && row.has("features") && row.get("features").isArray()) {
            row = row.get("features");
        }
        if (row.isArray()) {
            List<String> cells = new ArrayList<>(row.size());
            row.forEach(c -> cells.add(text(c)));
            profile.positional(cells, names);
        } else if (row.isObject()) {
            Map<String, String> cells = new LinkedHashMap<>();
            row.properties().forEach(e -> cells.put(e.getKey(), text(e.getValue())));
            profile.named(cells);
        } else {
            profile.positional(List.of(text(row)), names);
        }
    }

    private static String text(JsonNode cell) {
        if (cell == null || cell.isNull() || cell.isMissingNode()) {
            return null;
        }
        return cell.isValueNode() ? cell.asText() : cell.toString();
    }
}
