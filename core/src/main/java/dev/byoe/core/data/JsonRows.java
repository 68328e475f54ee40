package dev.byoe.core.data;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * The JSON shapes rows come in, as the endpoint accepts them and Model Monitor reads them back from
 * captured requests: a document is {@code {"instances": [row, ...]}}, {@code [row, ...]} or one
 * row; a row is an array of values in training order, {@code {"features": [...]}}, or an object
 * keyed by feature name. One definition, so that what is served is what is monitored.
 */
public final class JsonRows {
    private JsonRows() {}

    /** Adds the rows of {@code document} to {@code out}; an empty array holds none. */
    public static void addRows(JsonNode document, List<JsonNode> out) {
        JsonNode rows =
                document.isObject() && document.has("instances")
                        ? document.get("instances")
                        : document;
        if (rows.isArray()
                && !rows.isEmpty()
                && (rows.get(0).isArray() || rows.get(0).isObject())) {
            rows.forEach(out::add);
        } else if (!(rows.isArray() && rows.isEmpty())) {
            out.add(rows);
        }
    }

    /** A row's values: the array of {@code {"features": [...]}}, else the row itself. */
    public static JsonNode values(JsonNode row) {
        return row.isObject() && row.has("features") && row.get("features").isArray()
                ? row.get("features")
                : row;
    }

    /** A cell as text: {@code null} when null or absent, nested values as their JSON. */
    public static String text(JsonNode cell) {
        if (cell == null || cell.isNull() || cell.isMissingNode()) {
            return null;
        }
        return cell.isValueNode() ? cell.asText() : cell.toString();
    }
}
