package dev.byoe.jobs.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.jayway.jsonpath.Configuration;
import com.jayway.jsonpath.JsonPath;
import com.jayway.jsonpath.Option;
import com.jayway.jsonpath.spi.json.JacksonJsonNodeJsonProvider;
import com.jayway.jsonpath.spi.mapper.JacksonMappingProvider;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The functions a definition writes in place of values: {@code {"Get": path}}, {@code {"Std:Join":
 * {"On": sep, "Values": [...]}}} and {@code {"Std:JsonGet": {"PropertyFile": {"Get": ...}, "Path":
 * ...}}}; their references, and their values in a {@link Scope}.
 */
public final class Expressions {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    static final Configuration JSON_PATH =
            Configuration.builder()
                    .jsonProvider(new JacksonJsonNodeJsonProvider())
                    .mappingProvider(new JacksonMappingProvider())
                    .options(Option.SUPPRESS_EXCEPTIONS)
                    .build();

    /** Where the values of {@code Get} paths come from. */
    public interface Scope {
        /** The value of a {@code Get} path; throws {@link IllegalArgumentException} when none. */
        JsonNode get(PropertyPath path);

        /** The parsed JSON of a property file, named by its {@code Get} path. */
        JsonNode propertyFile(PropertyPath path);
    }

    private Expressions() {}

    /** Whether {@code node} is a function (resolved at run time) rather than a value. */
    public static boolean isFunction(JsonNode node) {
        return node != null
                && node.isObject()
                && node.size() == 1
                && (node.has("Get") || node.has("Std:Join") || node.has("Std:JsonGet"));
    }

    /** Every {@code Get} path inside {@code node}, in document order. */
    public static void references(JsonNode node, Consumer<String> get) {
        if (node == null) {
            return;
        }
        if (node.isObject() && node.size() == 1 && node.has("Get") && node.get("Get").isTextual()) {
            get.accept(node.get("Get").asText());
            return;
        }
        for (JsonNode child : node) {
            references(child, get);
        }
    }

    /** {@code node} with every function replaced by its value. */
    public static JsonNode resolve(JsonNode node, Scope scope) {
        if (node == null) {
            return null;
        }
        if (isFunction(node)) {
            return evaluate(node, scope);
        }
        if (node.isObject()) {
            ObjectNode out = NODES.objectNode();
            for (Map.Entry<String, JsonNode> e : node.properties()) {
                out.set(e.getKey(), resolve(e.getValue(), scope));
            }
            return out;
        }
        if (node.isArray()) {
            ArrayNode out = NODES.arrayNode();
            node.forEach(v -> out.add(resolve(v, scope)));
            return out;
        }
        return node;
    }

    private static JsonNode evaluate(JsonNode function, Scope scope) {
        if (function.has("Get")) {
            return scope.get(PropertyPath.parse(function.get("Get").asText()));
        }
        if (function.has("Std:Join")) {
            JsonNode join = function.get("Std:Join");
            List<String> parts = new ArrayList<>();
            for (JsonNode v : join.path("Values")) {
                parts.add(text(resolve(v, scope)));
            }
            return NODES.textNode(String.join(join.path("On").asText(""), parts));
        }
        JsonNode jsonGet = function.get("Std:JsonGet");
        JsonNode file = jsonGet.path("PropertyFile");
        String path = jsonGet.path("Path").asText();
        if (!file.has("Get")) {
            throw new IllegalArgumentException(
                    "Std:JsonGet needs PropertyFile {\"Get\": \"Steps.<step>.PropertyFiles.<name>\"}");
        }
        PropertyPath filePath = PropertyPath.parse(file.get("Get").asText());
        JsonNode json = scope.propertyFile(filePath);
        JsonNode value =
                dev.byoe.core.Json.MAPPER.valueToTree(
                        JsonPath.using(JSON_PATH)
                                .parse(json)
                                .read(path.startsWith("[") ? "$" + path : "$." + path));
        if (value == null || value.isMissingNode() || value.isNull()) {
            throw new IllegalArgumentException(
                    "Std:JsonGet: '" + path + "' is not in " + filePath.text() + " (" + json + ")");
        }
        return value;
    }

    /** A value as Std:Join writes it: strings as they are, anything else as JSON. */
    public static String text(JsonNode v) {
        return v.isTextual() ? v.textValue() : v.toString();
    }
}
