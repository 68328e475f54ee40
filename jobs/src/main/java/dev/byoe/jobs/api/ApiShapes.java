package dev.byoe.jobs.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.byoe.core.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * SageMaker's request and response shapes (botocore's service model) and a check of a JSON document
 * against one of them: types, required members, unknown members, enums, patterns (applied to the
 * whole value, as the service does), lengths and numeric ranges. Every problem is reported with its
 * JSON path. {@link #bundled()} holds the shapes byoe itself checks against (see {@code
 * NOTICE-botocore.txt} beside them); {@link #load} reads a whole service model.
 */
public final class ApiShapes {
    private static final ObjectMapper JSON = Json.MAPPER;
    private static volatile ApiShapes bundled;

    private final JsonNode shapes;
    private final Map<String, Pattern> patterns = new ConcurrentHashMap<>();

    private ApiShapes(JsonNode shapes) {
        this.shapes = shapes;
    }

    /** The shapes shipped in the jar (the roots listed by {@code scripts/derive-api-shapes}). */
    public static ApiShapes bundled() {
        if (bundled == null) {
            try (InputStream in = ApiShapes.class.getResourceAsStream("sagemaker-shapes.json")) {
                bundled = new ApiShapes(JSON.readTree(in).get("shapes"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return bundled;
    }

    /** A botocore service model file, such as {@code ../shared/specs/sagemaker-service-2.json}. */
    public static ApiShapes load(Path serviceModel) throws IOException {
        return new ApiShapes(JSON.readTree(serviceModel.toFile()).get("shapes"));
    }

    /**
     * Whether {@code problem} (from {@link #check}) is only that an {@code S3Uri} holds a local
     * path or file URI: what local jobs read and write instead of S3, as the README documents.
     */
    public static boolean isLocalS3Uri(String problem) {
        java.util.regex.Matcher m = LOCAL_S3_URI.matcher(problem);
        return m.find() && !m.group(1).startsWith("s3://") && !m.group(1).startsWith("https://");
    }

    private static final Pattern LOCAL_S3_URI =
            Pattern.compile(": '([^']*)' does not match (?:S3Uri|Url)'s pattern");

    public boolean has(String shape) {
        return shapes.has(shape);
    }

    /**
     * Problems of {@code value} as an instance of {@code shape}, each {@code "path: what is
     * wrong"}; empty when it conforms.
     */
    public List<String> check(String shape, JsonNode value) {
        return check(shape, value, v -> false);
    }

    /**
     * As {@link #check(String, JsonNode)}, passing over the values {@code unknown} accepts: values
     * not known yet (a pipeline's functions, resolved when the step runs).
     */
    public List<String> check(String shape, JsonNode value, Predicate<JsonNode> unknown) {
        if (!shapes.has(shape)) {
            throw new IllegalArgumentException("no shape " + shape + " in this service model");
        }
        List<String> problems = new ArrayList<>();
        new Checker(unknown).check(shape, value, "", problems);
        return problems;
    }

    /** One check, with the values it passes over. */
    private final class Checker {
        private final Predicate<JsonNode> unknown;

        Checker(Predicate<JsonNode> unknown) {
            this.unknown = unknown;
        }

        private void check(String shapeName, JsonNode value, String path, List<String> problems) {
            if (unknown.test(value)) {
                return;
            }
            JsonNode shape = shapes.get(shapeName);
            String where = path.isEmpty() ? "(top level)" : path;
            String type = shape.path("type").asText();
            switch (type) {
                case "structure" -> {
                    if (!value.isObject()) {
                        problems.add(
                                where
                                        + ": must be an object ("
                                        + shapeName
                                        + "), got "
                                        + kind(value));
                        return;
                    }
                    JsonNode members = shape.path("members");
                    for (JsonNode required : shape.path("required")) {
                        if (!value.has(required.asText())
                                || value.get(required.asText()).isNull()) {
                            problems.add(
                                    join(path, required.asText())
                                            + ": required by "
                                            + shapeName
                                            + " but missing");
                        }
                    }
                    for (Iterator<Map.Entry<String, JsonNode>> it = value.properties().iterator();
                            it.hasNext(); ) {
                        Map.Entry<String, JsonNode> e = it.next();
                        JsonNode member = members.get(e.getKey());
                        if (member == null) {
                            problems.add(
                                    join(path, e.getKey())
                                            + ": not a member of "
                                            + shapeName
                                            + " (members: "
                                            + fieldNames(members)
                                            + ")");
                        } else if (!e.getValue().isNull()) {
                            check(
                                    member.get("shape").asText(),
                                    e.getValue(),
                                    join(path, e.getKey()),
                                    problems);
                        }
                    }
                }
                case "list" -> {
                    if (!value.isArray()) {
                        problems.add(
                                where + ": must be a list (" + shapeName + "), got " + kind(value));
                        return;
                    }
                    length(shape, value.size(), "items", where, problems);
                    String member = shape.path("member").path("shape").asText();
                    for (int i = 0; i < value.size(); i++) {
                        check(member, value.get(i), path + "[" + i + "]", problems);
                    }
                }
                case "map" -> {
                    if (!value.isObject()) {
                        problems.add(
                                where
                                        + ": must be an object of key to value ("
                                        + shapeName
                                        + "), got "
                                        + kind(value));
                        return;
                    }
                    length(shape, value.size(), "entries", where, problems);
                    String key = shape.path("key").path("shape").asText();
                    String val = shape.path("value").path("shape").asText();
                    for (Map.Entry<String, JsonNode> e : value.properties()) {
                        check(
                                key,
                                JSON.getNodeFactory().textNode(e.getKey()),
                                join(path, e.getKey()) + " (key)",
                                problems);
                        check(val, e.getValue(), join(path, e.getKey()), problems);
                    }
                }
                case "string" -> {
                    if (!value.isTextual()) {
                        problems.add(
                                where
                                        + ": must be a string ("
                                        + shapeName
                                        + "), got "
                                        + kind(value));
                        return;
                    }
                    String text = value.textValue();
                    length(
                            shape,
                            text.codePointCount(0, text.length()),
                            "characters",
                            where,
                            problems);
                    JsonNode values = shape.get("enum");
                    if (values != null && !contains(values, text)) {
                        problems.add(where + ": '" + text + "' is not one of " + values);
                    }
                    String regex = shape.path("pattern").asText(null);
                    if (regex != null && !pattern(regex).matcher(text).matches()) {
                        problems.add(
                                where
                                        + ": '"
                                        + abbreviate(text)
                                        + "' does not match "
                                        + shapeName
                                        + "'s pattern "
                                        + regex);
                    }
                }
                case "integer", "long" -> {
                    if (!value.isIntegralNumber()) {
                        problems.add(
                                where
                                        + ": must be a whole number ("
                                        + shapeName
                                        + "), got "
                                        + kind(value));
                        return;
                    }
                    range(shape, value.asDouble(), where, problems);
                }
                case "float", "double" -> {
                    if (!value.isNumber()) {
                        problems.add(
                                where
                                        + ": must be a number ("
                                        + shapeName
                                        + "), got "
                                        + kind(value));
                        return;
                    }
                    range(shape, value.asDouble(), where, problems);
                }
                case "boolean" -> {
                    if (!value.isBoolean()) {
                        problems.add(
                                where
                                        + ": must be true or false ("
                                        + shapeName
                                        + "), got "
                                        + kind(value));
                    }
                }
                case "timestamp" -> {
                    if (!value.isTextual() && !value.isNumber()) {
                        problems.add(
                                where
                                        + ": must be a timestamp (ISO 8601 text or epoch seconds), got "
                                        + kind(value));
                    }
                }
                default -> {
                    // blob and document shapes: any JSON value
                }
            }
        }
    }

    private static void length(
            JsonNode shape, int n, String unit, String where, List<String> problems) {
        if (shape.has("min") && n < shape.get("min").asLong()) {
            problems.add(
                    where
                            + ": "
                            + n
                            + " "
                            + unit
                            + ", at least "
                            + shape.get("min").asLong()
                            + " required");
        }
        if (shape.has("max") && n > shape.get("max").asLong()) {
            problems.add(
                    where
                            + ": "
                            + n
                            + " "
                            + unit
                            + ", at most "
                            + shape.get("max").asLong()
                            + " allowed");
        }
    }

    private static void range(JsonNode shape, double v, String where, List<String> problems) {
        if (shape.has("min") && v < shape.get("min").asDouble()) {
            problems.add(
                    where
                            + ": "
                            + number(v)
                            + " is below the minimum "
                            + number(shape.get("min").asDouble()));
        }
        if (shape.has("max") && v > shape.get("max").asDouble()) {
            problems.add(
                    where
                            + ": "
                            + number(v)
                            + " is above the maximum "
                            + number(shape.get("max").asDouble()));
        }
    }

    private Pattern pattern(String regex) {
        return patterns.computeIfAbsent(regex, Pattern::compile);
    }

    private static boolean contains(JsonNode values, String text) {
        for (JsonNode v : values) {
            if (v.asText().equals(text)) {
                return true;
            }
        }
        return false;
    }

    private static List<String> fieldNames(JsonNode members) {
        List<String> out = new ArrayList<>();
        members.fieldNames().forEachRemaining(out::add);
        return out;
    }

    private static String join(String path, String member) {
        return path.isEmpty() ? member : path + "." + member;
    }

    private static String kind(JsonNode v) {
        return v.isTextual()
                ? "the string \"" + abbreviate(v.textValue()) + "\""
                : v.isNumber()
                        ? "the number " + v
                        : v.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
    }

    private static String abbreviate(String s) {
        return s.length() <= 80 ? s : s.substring(0, 77) + "...";
    }

    private static String number(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15
                ? Long.toString((long) v)
                : Double.toString(v);
    }
}
