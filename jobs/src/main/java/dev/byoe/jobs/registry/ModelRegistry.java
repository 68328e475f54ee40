package dev.byoe.jobs.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.byoe.core.Json;
import dev.byoe.jobs.api.LocalArns;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Model package groups under one folder: {@code <root>/<group>/group.json} and, per version, {@code
 * <root>/<group>/<n>/model.tar.gz}, {@code metrics.json} and {@code model-package.json} (shaped
 * like DescribeModelPackage). Versions start at 1 and only grow; a version folder is claimed with
 * an atomic create, so two registrations at once get different numbers.
 */
public final class ModelRegistry {
    public static final String PACKAGE_FILE = "model-package.json";
    private static final Pattern GROUP_NAME = Pattern.compile("[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}");
    private static final ObjectMapper JSON = Json.INDENTED;

    /** What to register. {@code model} is a model folder (packed here) or a {@code .tar.gz}. */
    public record Registration(
            String group,
            Path model,
            Map<String, Double> metrics,
            Map<String, String> hyperparameters,
            String image,
            List<String> contentTypes,
            List<String> responseTypes,
            ApprovalStatus status,
            String description) {}

    private final Path root;

    public ModelRegistry(Path root) {
        this.root = root;
    }

    public Path root() {
        return root;
    }

    public ObjectNode register(Registration r) throws IOException {
        checkGroup(r.group());
        if (!Files.exists(r.model())) {
            throw new IllegalArgumentException("model " + r.model() + " does not exist");
        }
        Path group = Files.createDirectories(root.resolve(r.group()));
        Path groupFile = group.resolve("group.json");
        String now = Instant.now().toString();
        if (!Files.exists(groupFile)) {
            ObjectNode g =
                    JSON.createObjectNode()
                            .put("ModelPackageGroupName", r.group())
                            .put("CreationTime", now);
            write(groupFile, g);
        }
        int version = latestVersion(r.group()) + 1;
        Path dir;
        while (true) {
            try {
                dir = Files.createDirectory(group.resolve(Integer.toString(version)));
                break;
            } catch (FileAlreadyExistsException e) {
                version++;
            }
        }
        Path archive = dir.resolve("model.tar.gz");
        if (Files.isDirectory(r.model())) {
            ModelArchive.pack(r.model(), archive);
        } else {
            Files.copy(r.model(), archive);
        }
        ObjectNode metrics = JSON.createObjectNode();
        ObjectNode values = metrics.putObject("metrics");
        r.metrics().forEach((k, v) -> values.putObject(k).put("value", v));
        write(dir.resolve("metrics.json"), metrics);

        ObjectNode p = JSON.createObjectNode();
        // As DescribeModelPackage answers for a versioned package: the group's name, and the
        // version apart.
        p.put("ModelPackageName", r.group());
        p.put("ModelPackageGroupName", r.group());
        p.put("ModelPackageVersion", version);
        p.put(
                "ModelPackageArn",
                LocalArns.PREFIX
                        + "model-package/"
                        + r.group().toLowerCase(java.util.Locale.ROOT)
                        + "/"
                        + version);
        if (r.description() != null) {
            p.put("ModelPackageDescription", r.description());
        }
        p.put("CreationTime", now);
        p.put("LastModifiedTime", now);
        p.put("ModelPackageStatus", "Completed");
        p.putObject("ModelPackageStatusDetails").putArray("ValidationStatuses");
        p.put("ModelApprovalStatus", r.status().name());
        ArrayNode history = JSON.createArrayNode();
        history.addObject()
                .put("ModelApprovalStatus", r.status().name())
                .put("Time", now)
                .put("ApprovalDescription", "registered");
        write(dir.resolve(HISTORY_FILE), history);
        ObjectNode all = JSON.createObjectNode();
        r.hyperparameters().forEach(all::put);
        write(dir.resolve(HYPERPARAMETERS_FILE), all);
        ObjectNode inference = p.putObject("InferenceSpecification");
        inference
                .putArray("Containers")
                .addObject()
                .put("Image", r.image())
                .put("ModelDataUrl", archive.toUri().toString());
        r.contentTypes().forEach(inference.putArray("SupportedContentTypes")::add);
        r.responseTypes().forEach(inference.putArray("SupportedResponseMIMETypes")::add);
        p.putObject("ModelMetrics")
                .putObject("ModelQuality")
                .putObject("Statistics")
                .put("ContentType", "application/json")
                .put("S3Uri", dir.resolve("metrics.json").toUri().toString());
        p.set("CustomerMetadataProperties", customerMetadata(r, dir.resolve(HYPERPARAMETERS_FILE)));
        write(dir.resolve(PACKAGE_FILE), p);
        return p;
    }

    /**
     * Metrics, then hyperparameters, as far as the API takes them: at most 50 entries, and keys and
     * values of letters, digits, spaces and {@code _.:/=+-@} only. A value outside that (a comma
     * list of members, a regex) is left out here; every hyperparameter is in the package's {@code
     * hyperparameters.json}, which the entry {@code hyperparameters} names.
     */
    private static ObjectNode customerMetadata(Registration r, Path allHyperparameters) {
        ObjectNode custom = JSON.createObjectNode();
        custom.put("hyperparameters", allHyperparameters.toUri().toString());
        Map<String, String> entries = new java.util.LinkedHashMap<>();
        r.metrics().forEach((k, v) -> entries.put("metric:" + k, Double.toString(v)));
        entries.putAll(r.hyperparameters());
        entries.forEach(
                (k, v) -> {
                    if (custom.size() < MAX_METADATA
                            && METADATA_TEXT.matcher(k).matches()
                            && k.length() <= 128
                            && METADATA_TEXT.matcher(v).matches()
                            && !v.isEmpty()
                            && v.length() <= 256) {
                        custom.put(k, v);
                    }
                });
        return custom;
    }

    /** CustomerMetadataKey's and CustomerMetadataValue's characters in SageMaker's API. */
    private static final Pattern METADATA_TEXT = Pattern.compile("[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*");

    private static final int MAX_METADATA = 50;
    static final String HISTORY_FILE = "approval-history.json";
    static final String HYPERPARAMETERS_FILE = "hyperparameters.json";

    public ObjectNode describe(String group, int version) throws IOException {
        Path file = root.resolve(group).resolve(Integer.toString(version)).resolve(PACKAGE_FILE);
        if (!Files.exists(file)) {
            throw new IllegalArgumentException(
                    "no model package "
                            + group
                            + "/"
                            + version
                            + " in "
                            + root
                            + (Files.isDirectory(root.resolve(group))
                                    ? " (versions: " + versions(group) + ")"
                                    : " (no such group)"));
        }
        return (ObjectNode) JSON.readTree(file.toFile());
    }

    /** Every package of {@code group}, or of every group when it is null, oldest first. */
    public List<ObjectNode> list(String group) throws IOException {
        List<ObjectNode> out = new ArrayList<>();
        for (String g : group == null ? groups() : List.of(group)) {
            if (group != null && !Files.isDirectory(root.resolve(g))) {
                throw new IllegalArgumentException(
                        "no model package group '"
                                + g
                                + "' in "
                                + root
                                + " (groups: "
                                + groups()
                                + ")");
            }
            for (int v : versions(g)) {
                out.add(describe(g, v));
            }
        }
        return out;
    }

    /**
     * Approves or rejects a version; the change is appended to its ApprovalHistory with the time.
     */
    public ObjectNode updateApproval(String group, int version, ApprovalStatus status, String note)
            throws IOException {
        if (status == ApprovalStatus.PendingManualApproval) {
            throw new IllegalArgumentException(
                    "a model package can be approved or rejected, not set back to PendingManualApproval");
        }
        ObjectNode p = describe(group, version);
        String current = p.path("ModelApprovalStatus").asText();
        if (current.equals(status.name())) {
            throw new IllegalArgumentException(
                    "model package " + group + "/" + version + " is already " + current);
        }
        String now = Instant.now().toString();
        p.put("ModelApprovalStatus", status.name());
        p.put("LastModifiedTime", now);
        if (note != null) {
            p.put("ApprovalDescription", note);
        } else {
            p.remove("ApprovalDescription");
        }
        Path dir = root.resolve(group).resolve(Integer.toString(version));
        ArrayNode history = history(group, version);
        ObjectNode entry =
                history.addObject().put("ModelApprovalStatus", status.name()).put("Time", now);
        if (note != null) {
            entry.put("ApprovalDescription", note);
        }
        write(dir.resolve(HISTORY_FILE), history);
        write(dir.resolve(PACKAGE_FILE), p);
        return p;
    }

    /**
     * The newest Approved version of {@code group} (what a deployment serves), or empty when none
     * is approved (or the group does not exist).
     */
    public java.util.Optional<ObjectNode> latestApproved(String group) throws IOException {
        List<Integer> v = versions(group);
        for (int i = v.size() - 1; i >= 0; i--) {
            ObjectNode p = describe(group, v.get(i));
            if (p.path("ModelApprovalStatus").asText().equals(ApprovalStatus.Approved.name())) {
                return java.util.Optional.of(p);
            }
        }
        return java.util.Optional.empty();
    }

    /** The archive of a version. */
    public Path archive(String group, int version) throws IOException {
        describe(group, version);
        return root.resolve(group).resolve(Integer.toString(version)).resolve("model.tar.gz");
    }

    /**
     * Writes the group's newest Approved version to {@code folder}: {@code approved.json} (its
     * model-package.json, or one naming the group with no status when none is approved) and its
     * {@code model.tar.gz}. A pipeline reads that folder as its approved-model input.
     */
    public java.util.Optional<ObjectNode> export(String group, Path folder) throws IOException {
        checkGroup(group);
        Files.createDirectories(folder);
        java.util.Optional<ObjectNode> approved = latestApproved(group);
        Path archive = folder.resolve("model.tar.gz");
        if (approved.isPresent()) {
            Files.copy(
                    archive(group, approved.get().path("ModelPackageVersion").asInt()),
                    archive,
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            write(folder.resolve("approved.json"), approved.get());
        } else {
            Files.deleteIfExists(archive);
            write(
                    folder.resolve("approved.json"),
                    JSON.createObjectNode().put("ModelPackageGroupName", group));
        }
        return approved;
    }

    /**
     * Adds a member of DescribeModelPackage's answer that registering does not set (a pipeline's
     * {@code DriftCheckBaselines}) to a version's {@code model-package.json}.
     */
    public ObjectNode amend(String group, int version, String member, JsonNode value)
            throws IOException {
        ObjectNode p = describe(group, version);
        p.set(member, value);
        write(root.resolve(group).resolve(Integer.toString(version)).resolve(PACKAGE_FILE), p);
        return p;
    }

    /** Every approval change of a package, oldest first, with its time and note. */
    public ArrayNode history(String group, int version) throws IOException {
        describe(group, version);
        Path file = root.resolve(group).resolve(Integer.toString(version)).resolve(HISTORY_FILE);
        return Files.exists(file)
                ? (ArrayNode) JSON.readTree(file.toFile())
                : JSON.createArrayNode();
    }

    public int latestVersion(String group) throws IOException {
        List<Integer> v = versions(group);
        return v.isEmpty() ? 0 : v.getLast();
    }

    private List<Integer> versions(String group) throws IOException {
        Path dir = root.resolve(group);
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString())
                    .filter(n -> n.matches("[1-9][0-9]*"))
                    .map(Integer::parseInt)
                    .sorted()
                    .toList();
        }
    }

    private List<String> groups() throws IOException {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(root)) {
            return s.filter(p -> Files.exists(p.resolve("group.json")))
                    .map(p -> p.getFileName().toString())
                    .sorted(Comparator.naturalOrder())
                    .toList();
        }
    }

    /**
     * @throws IllegalArgumentException unless SageMaker would take {@code group} as a model package
     *     group name
     */
    public static void checkGroup(String group) {
        if (group == null || !GROUP_NAME.matcher(group).matches()) {
            throw new IllegalArgumentException(
                    "model package group name '"
                            + group
                            + "' must be 1-63 letters, digits and "
                            + "hyphens, starting and ending with a letter or digit");
        }
    }

    /** Written to a temporary file and moved into place, so a reader never sees half a package. */
    private static void write(Path file, JsonNode node) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        JSON.writeValue(tmp.toFile(), node);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
