package dev.byoe.serve.codec;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.byoe.core.data.FeatureBatch;
import dev.byoe.core.data.FeatureSchema;
import dev.byoe.core.data.JsonRows;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code application/json} and {@code application/jsonlines}. A JSON body is {@code {"instances":
 * [row, ...]}}, {@code [row, ...]}, a single row, or {@code {"features": [...]}}; JSON Lines has
 * one row per line. A row is an array of values in training order, {@code {"features": [...]}}, or
 * an object keyed by feature name (absent names are missing values).
 */
final class JsonRequestDecoder implements RequestDecoder {
    // A repeated key is refused (STRICT_DUPLICATE_DETECTION) rather than letting the last value win
    // silently.
    static final ObjectMapper JSON =
            new ObjectMapper(
                    com.fasterxml.jackson.core.JsonFactory.builder()
                            .streamReadConstraints(
                                    StreamReadConstraints.builder()
                                            .maxNestingDepth(64)
                                            .maxNumberLength(100)
                                            .build())
                            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                            .build());

    private final boolean lines;

    JsonRequestDecoder(boolean lines) {
        this.lines = lines;
    }

    @Override
    public FeatureBatch decode(byte[] body, FeatureSchema schema) {
        List<JsonNode> rowNodes = new ArrayList<>();
        if (lines) {
            String[] parts = RequestDecoder.utf8(body).split("\r?\n");
            for (int i = 0; i < parts.length; i++) {
                if (!parts[i].isBlank()) {
                    rowNodes.add(
                            parse(
                                    parts[i].getBytes(java.nio.charset.StandardCharsets.UTF_8),
                                    "line " + (i + 1) + ": "));
                }
            }
        } else {
            RequestDecoder.utf8(body);
            body = RequestDecoder.toUtf8(body, null);
            // Batch transform with SplitType Line and MultiRecord joins several JSON documents with
            // newlines: every document's rows are answered, in order.
            for (JsonNode root : parseAll(body)) {
                JsonRows.addRows(root, rowNodes);
            }
            if (rowNodes.isEmpty()) {
                throw RequestProblem.malformed("the request has no rows");
            }
        }
        RowBuilder builder = new RowBuilder(schema, rowNodes.size());
        for (JsonNode node : rowNodes) {
            addRow(builder, node, schema);
        }
        return builder.build();
    }

    /** One JSON document. */
    static JsonNode parse(byte[] bytes, String where) {
        try {
            JsonNode node = JSON.readTree(bytes);
            if (node == null || node.isMissingNode()) {
                throw RequestProblem.malformed(where + "the body is empty");
            }
            return node;
        } catch (IOException e) {
            throw invalid(e, where);
        }
    }

    /**
     * Every JSON document in the body, in order (documents separated by white space, as batch
     * transform joins records); anything after the last complete document is refused with its
     * position rather than ignored.
     */
    static List<JsonNode> parseAll(byte[] bytes) {
        List<JsonNode> out = new ArrayList<>();
        // A parser of its own, not readValues(bytes), which would unwrap a root-level array into
        // its elements.
        try (JsonParser parser = JSON.createParser(bytes)) {
            while (parser.nextToken() != null) {
                out.add(JSON.readTree(parser));
            }
        } catch (IOException e) {
            throw invalid(e, out.isEmpty() ? "" : "after JSON document " + out.size() + ": ");
        }
        if (out.isEmpty()) {
            throw RequestProblem.malformed("the body is empty");
        }
        return out;
    }

    private static RequestProblem invalid(IOException e, String where) {
        if (e instanceof StreamConstraintsException) {
            return RequestProblem.malformed(
                    where + "JSON is too deeply nested or has too long a number");
        }
        if (e instanceof JsonProcessingException p) {
            String at =
                    p.getLocation() == null
                            ? ""
                            : " (line "
                                    + p.getLocation().getLineNr()
                                    + ", column "
                                    + p.getLocation().getColumnNr()
                                    + ")";
            return RequestProblem.malformed(where + "invalid JSON: " + p.getOriginalMessage() + at);
        }
        return RequestProblem.malformed(where + "invalid JSON: " + e.getMessage());
    }

    private static void addRow(RowBuilder builder, JsonNode node, FeatureSchema schema) {
        int row = builder.startRow();
        String where = "row " + (row + 1);
        JsonNode values = JsonRows.values(node);
        if (values.isArray()) {
            if (values.size() != schema.size()) {
                throw RequestProblem.malformed(
                        where
                                + " has "
                                + values.size()
                                + " values; the model expects "
                                + schema.size()
                                + " features ("
                                + String.join(",", schema.names())
                                + ")");
            }
            for (int c = 0; c < values.size(); c++) {
                cell(builder, row, c, values.get(c));
            }
        } else if (values.isObject()) {
            for (Map.Entry<String, JsonNode> e : values.properties()) {
                int c = schema.indexOf(e.getKey());
                if (c < 0) {
                    throw RequestProblem.malformed(
                            where
                                    + " has '"
                                    + e.getKey()
                                    + "', which is not a feature; features are "
                                    + schema.names());
                }
                cell(builder, row, c, e.getValue());
            }
        } else {
            throw RequestProblem.malformed(
                    where
                            + " must be an array of feature values or an object keyed by feature name");
        }
    }

    private static void cell(RowBuilder builder, int row, int column, JsonNode v) {
        if (v == null || v.isNull()) {
            return;
        }
        if (v.isNumber()) {
            builder.number(row, column, v.doubleValue(), v.asText());
        } else if (v.isTextual()) {
            builder.text(row, column, v.textValue());
        } else {
            throw RequestProblem.malformed(
                    builder.where(row, column)
                            + ": expected a number, a string or null, got "
                            + v.getNodeType().name().toLowerCase(java.util.Locale.ROOT));
        }
    }
}
