package dev.byoe.model.artifact;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.byoe.core.Json;
import dev.byoe.core.data.Feature;
import dev.byoe.core.data.FeatureKind;
import dev.byoe.core.data.FeatureSchema;
import dev.byoe.core.data.Objective;
import dev.byoe.core.data.Target;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * {@code manifest.json}: the ensemble's table of contents and provenance.
 *
 * @param format artifact format id, checked on load
 * @param members members in prediction order
 * @param features feature columns in the order requests must send them
 * @param hyperparameters the job's hyperparameters exactly as received (strings)
 * @param evaluation how the metrics were measured and their values
 * @param data where the training data came from (channels, files, digests, rows)
 * @param libsvmIndexBase the libsvm index of the first feature, when the training data was libsvm
 *     (requests in libsvm use it; absent means 1)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Manifest(
        String format,
        String byoeVersion,
        String createdAt,
        String objective,
        TargetEntry target,
        List<FeatureEntry> features,
        List<MemberEntry> members,
        Map<String, String> hyperparameters,
        Evaluation evaluation,
        Map<String, Object> data,
        Integer libsvmIndexBase) {

    public static final String FORMAT = "byoe-ensemble/1";
    public static final String FILE = "manifest.json";

    private static final ObjectMapper JSON = Json.MANIFEST;

    public record TargetEntry(String name, List<String> classes) {}

    public record FeatureEntry(String name, String kind) {}

    /**
     * A member: its type, weight, folder (relative to the manifest), typed hyperparameters and
     * metrics.
     */
    public record MemberEntry(
            String name,
            String type,
            double weight,
            String directory,
            Map<String, Object> hyperparameters,
            Map<String, Double> metrics) {}

    /**
     * {@code method}: "validation" or "k-fold"; {@code rows}: rows the metrics were computed on.
     */
    public record Evaluation(String method, int folds, int rows, Map<String, Double> ensemble) {}

    public FeatureSchema schema() {
        List<Feature> list = new ArrayList<>();
        for (FeatureEntry f : features) {
            list.add(new Feature(f.name(), FeatureKind.valueOf(f.kind().toUpperCase(Locale.ROOT))));
        }
        return new FeatureSchema(
                list,
                libsvmIndexBase == null
                        ? FeatureSchema.DEFAULT_SPARSE_INDEX_BASE
                        : libsvmIndexBase);
    }

    public Target targetSpec() {
        return new Target(
                target.name(),
                Objective.fromId(objective),
                target.classes() == null ? List.of() : target.classes());
    }

    public static List<FeatureEntry> featureEntries(FeatureSchema schema) {
        List<FeatureEntry> out = new ArrayList<>();
        for (Feature f : schema.features()) {
            out.add(new FeatureEntry(f.name(), f.kind().name().toLowerCase(Locale.ROOT)));
        }
        return out;
    }

    public void write(Path file) throws IOException {
        JSON.writeValue(file.toFile(), this);
    }

    /**
     * Reads a manifest. Mapped from Jackson's tree by hand rather than bound to this record:
     * binding a record introspects its classes and spins a reflective constructor for each nested
     * record, 30-40 ms of every serving cold start (bench/RESULTS.md, "Cold start, fourth pass").
     * {@code ManifestTest} checks that both ways read every field alike.
     */
    public static Manifest read(Path file) throws IOException {
        Manifest m = fromTree(JSON.readTree(file.toFile()), file);
        if (!FORMAT.equals(m.format())) {
            throw new IOException(
                    "unsupported model format '"
                            + m.format()
                            + "' in "
                            + file
                            + " (expected "
                            + FORMAT
                            + ")");
        }
        if (m.members() == null
                || m.members().isEmpty()
                || m.features() == null
                || m.target() == null
                || m.objective() == null) {
            throw new IOException(
                    file + " is incomplete: members, features, target and objective are required");
        }
        return m;
    }

    private static Manifest fromTree(JsonNode root, Path file) throws IOException {
        if (root == null || !root.isObject()) {
            throw new IOException(file + " is not a JSON object");
        }
        JsonNode target = root.get("target");
        JsonNode indexBase = root.get("libsvm_index_base");
        return new Manifest(
                text(root.get("format")),
                text(root.get("byoe_version")),
                text(root.get("created_at")),
                text(root.get("objective")),
                isAbsent(target)
                        ? null
                        : new TargetEntry(
                                text(target.get("name")),
                                list(target.get("classes"), Manifest::text)),
                list(
                        root.get("features"),
                        f -> new FeatureEntry(text(f.get("name")), text(f.get("kind")))),
                list(root.get("members"), Manifest::member),
                map(root.get("hyperparameters"), Manifest::text),
                evaluation(root.get("evaluation")),
                map(root.get("data"), Manifest::plain),
                isAbsent(indexBase) ? null : indexBase.asInt());
    }

    private static MemberEntry member(JsonNode m) {
        return new MemberEntry(
                text(m.get("name")),
                text(m.get("type")),
                m.path("weight").asDouble(),
                text(m.get("directory")),
                map(m.get("hyperparameters"), Manifest::plain),
                map(m.get("metrics"), Manifest::number));
    }

    private static Evaluation evaluation(JsonNode e) {
        return isAbsent(e)
                ? null
                : new Evaluation(
                        text(e.get("method")),
                        e.path("folds").asInt(),
                        e.path("rows").asInt(),
                        map(e.get("ensemble"), Manifest::number));
    }

    private static boolean isAbsent(JsonNode node) {
        return node == null || node.isNull();
    }

    private static String text(JsonNode node) {
        return isAbsent(node) ? null : node.asText();
    }

    private static Double number(JsonNode node) {
        // A number's own value, or a string parsed ("NaN", as Jackson writes it).
        return isAbsent(node) ? null : node.asDouble();
    }

    /** A value as Jackson binds it to {@code Object}: maps, lists, strings, numbers, booleans. */
    private static Object plain(JsonNode node) {
        if (isAbsent(node)) {
            return null;
        }
        if (node.isObject()) {
            return map(node, Manifest::plain);
        }
        if (node.isArray()) {
            return list(node, Manifest::plain);
        }
        if (node.isNumber()) {
            return node.numberValue();
        }
        return node.isBoolean() ? node.booleanValue() : node.asText();
    }

    private static <T> List<T> list(JsonNode node, Function<JsonNode, T> element) {
        if (isAbsent(node)) {
            return null;
        }
        List<T> out = new ArrayList<>(node.size());
        for (JsonNode e : node) {
            out.add(isAbsent(e) ? null : element.apply(e));
        }
        return out;
    }

    private static <T> Map<String, T> map(JsonNode node, Function<JsonNode, T> value) {
        if (isAbsent(node)) {
            return null;
        }
        Map<String, T> out = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : node.properties()) {
            out.put(e.getKey(), value.apply(e.getValue()));
        }
        return out;
    }
}
