package dev.byoe.jobs.monitor;

import com.fasterxml.jackson.databind.JsonNode;
import dev.byoe.core.JobFailure;
import dev.byoe.core.Json;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code dataset_format} Model Monitor hands the container: {@code {"csv": {"header": true}}},
 * {@code {"json": {"line": true}}}, {@code {"parquet": {}}} or {@code {"sagemakerCaptureJson":
 * {...}}}. Without one, each file's format is recognised from its content.
 *
 * @param header for CSV: {@code null} = detect, else whether files start with a header row
 * @param columns column names given in the format itself ({@code "header": ["a", "b"]})
 */
record DatasetFormat(Kind kind, Boolean header, List<String> columns) {
    enum Kind {
        AUTO,
        CSV,
        JSON,
        PARQUET,
        CAPTURE
    }

    static final DatasetFormat AUTO = new DatasetFormat(Kind.AUTO, null, List.of());

    static DatasetFormat parse(String text) {
        if (text == null || text.isBlank()) {
            return AUTO;
        }
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(text);
        } catch (Exception e) {
            throw new JobFailure("dataset_format is not valid JSON: " + text);
        }
        if (root == null || !root.isObject()) {
            throw new JobFailure(
                    "dataset_format must be a JSON object such as {\"csv\": {\"header\": true}}, got: "
                            + text);
        }
        if (root.has("csv")) {
            JsonNode h = root.path("csv").path("header");
            if (h.isArray()) {
                List<String> names = new ArrayList<>();
                h.forEach(n -> names.add(n.asText()));
                return new DatasetFormat(Kind.CSV, false, names);
            }
            return new DatasetFormat(
                    Kind.CSV, h.isMissingNode() || h.isNull() ? null : h.asBoolean(), List.of());
        }
        if (root.has("json")) {
            return new DatasetFormat(Kind.JSON, null, List.of());
        }
        if (root.has("sagemakerCaptureJson")) {
            return new DatasetFormat(Kind.CAPTURE, null, List.of());
        }
        if (root.has("parquet")) {
            return new DatasetFormat(Kind.PARQUET, null, List.of());
        }
        throw new JobFailure(
                "dataset_format "
                        + text
                        + " names no known format (csv, json, parquet, sagemakerCaptureJson)");
    }
}
