package dev.byoe.jobs.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.byoe.core.Json;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code byoe registry register|list|describe|approve|reject}: the local model registry from the
 * command line. The registry folder is {@code --registry}, else {@code $BYOE_REGISTRY}, else {@code
 * ./registry}. Exit 0 on success, 2 when the request is refused (the reason on standard error), 1
 * when the registry cannot be read or written.
 */
@Command(
        name = "registry",
        description =
                "The local model registry: model package groups of numbered, approvable packages.")
public final class RegistryCommand implements Callable<Integer> {
    /**
     * What {@code byoe serve} accepts (its request formats; a test in the app module checks this
     * list against them, as this module cannot see the server's).
     */
    public static final List<String> CONTENT_TYPES =
            List.of(
                    "text/csv",
                    "application/json",
                    "application/jsonlines",
                    "text/libsvm",
                    "application/x-recordio-protobuf",
                    "application/x-parquet");

    /** What {@code byoe serve} answers with (checked like {@link #CONTENT_TYPES}). */
    public static final List<String> RESPONSE_TYPES =
            List.of(
                    "text/csv",
                    "application/json",
                    "application/jsonlines",
                    "application/x-recordio-protobuf");

    @Spec CommandSpec spec;

    /** The registry folder, an option of every action (and of {@code deploy}). */
    public static final class Location {
        @Option(
                names = "--registry",
                paramLabel = "DIR",
                defaultValue = "${env:BYOE_REGISTRY:-registry}",
                description = "default $BYOE_REGISTRY, else ./registry")
        Path folder;

        public ModelRegistry open() {
            return new ModelRegistry(folder);
        }
    }

    /** Which package an action is about. */
    static final class Package {
        @Option(names = "--group", required = true, paramLabel = "GROUP")
        String group;

        @Option(names = "--version", required = true, paramLabel = "N")
        int version;
    }

    @FunctionalInterface
    private interface Action {
        void run() throws IOException;
    }

    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(), "an action is needed");
    }

    @Command(
            name = "register",
            description = "registers a model folder or model.tar.gz as the group's next version")
    int register(
            @Mixin Location where,
            @Option(names = "--group", required = true, paramLabel = "GROUP") String group,
            @Option(names = "--model", required = true, paramLabel = "DIR|model.tar.gz") Path model,
            @Option(names = "--image", defaultValue = "byoe:latest", paramLabel = "IMAGE")
                    String image,
            @Option(
                            names = "--metrics",
                            paramLabel = "FILE",
                            description = "a JSON object of numbers")
                    Path metricsFile,
            @Option(names = "--content-types", split = ",", paramLabel = "TYPE")
                    List<String> contentTypes,
            @Option(names = "--response-types", split = ",", paramLabel = "TYPE")
                    List<String> responseTypes,
            @Option(
                            names = "--status",
                            defaultValue = "PendingManualApproval",
                            paramLabel = "STATUS")
                    ApprovalStatus status,
            @Option(names = "--description", paramLabel = "TEXT") String description) {
        return answer(
                () -> {
                    Map<String, Double> metrics = new LinkedHashMap<>();
                    Map<String, String> hyperparameters = new LinkedHashMap<>();
                    Path manifest = model.resolve("manifest.json");
                    if (Files.isDirectory(model) && Files.exists(manifest)) {
                        // A byoe model folder carries its own figures and the job's
                        // hyperparameters.
                        JsonNode m = Json.MAPPER.readTree(manifest.toFile());
                        m.path("evaluation")
                                .path("ensemble")
                                .properties()
                                .forEach(
                                        e ->
                                                metrics.put(
                                                        "validation:" + e.getKey(),
                                                        e.getValue().asDouble()));
                        m.path("hyperparameters")
                                .properties()
                                .forEach(
                                        e ->
                                                hyperparameters.put(
                                                        e.getKey(), e.getValue().asText()));
                    }
                    if (metricsFile != null) {
                        Json.MAPPER
                                .readTree(metricsFile.toFile())
                                .properties()
                                .forEach(
                                        e -> {
                                            if (!e.getValue().isNumber()) {
                                                throw new IllegalArgumentException(
                                                        "--metrics: '"
                                                                + e.getKey()
                                                                + "' must be a number, got "
                                                                + e.getValue());
                                            }
                                            metrics.put(e.getKey(), e.getValue().asDouble());
                                        });
                    }
                    ObjectNode p =
                            where.open()
                                    .register(
                                            new ModelRegistry.Registration(
                                                    group,
                                                    model,
                                                    metrics,
                                                    hyperparameters,
                                                    image,
                                                    orDefault(contentTypes, CONTENT_TYPES),
                                                    orDefault(responseTypes, RESPONSE_TYPES),
                                                    status,
                                                    description));
                    out().println("registered " + summary(p));
                });
    }

    @Command(name = "list", description = "lists the packages, of one group or of all")
    int list(@Mixin Location where, @Option(names = "--group", paramLabel = "GROUP") String group) {
        return answer(
                () -> {
                    List<ObjectNode> packages = where.open().list(group);
                    out().printf(
                                    Locale.ROOT,
                                    "%-30s %-8s %-22s %-25s %s%n",
                                    "group",
                                    "version",
                                    "status",
                                    "created",
                                    "metrics");
                    for (ObjectNode p : packages) {
                        StringBuilder metrics = new StringBuilder();
                        p.path("CustomerMetadataProperties")
                                .properties()
                                .forEach(
                                        e -> {
                                            if (e.getKey().startsWith("metric:")) {
                                                metrics.append(metrics.isEmpty() ? "" : " ")
                                                        .append(e.getKey().substring(7))
                                                        .append('=')
                                                        .append(e.getValue().asText());
                                            }
                                        });
                        out().printf(
                                        Locale.ROOT,
                                        "%-30s %-8d %-22s %-25s %s%n",
                                        p.path("ModelPackageGroupName").asText(),
                                        p.path("ModelPackageVersion").asInt(),
                                        p.path("ModelApprovalStatus").asText(),
                                        p.path("CreationTime").asText(),
                                        metrics);
                    }
                });
    }

    @Command(name = "describe", description = "prints a package as DescribeModelPackage answers")
    int describe(@Mixin Location where, @Mixin Package p) {
        return answer(
                () ->
                        out().println(
                                        Json.MAPPER
                                                .writerWithDefaultPrettyPrinter()
                                                .writeValueAsString(
                                                        where.open()
                                                                .describe(p.group, p.version))));
    }

    @Command(
            name = "export",
            description =
                    "writes the group's newest Approved version (approved.json, model.tar.gz) to a"
                            + " folder: a pipeline's approved-model input")
    int export(
            @Mixin Location where,
            @Option(names = "--group", required = true, paramLabel = "GROUP") String group,
            @Option(names = "--to", required = true, paramLabel = "DIR") Path to) {
        return answer(
                () ->
                        out().println(
                                        where.open()
                                                .export(group, to)
                                                .map(p -> summary(p) + " exported to " + to)
                                                .orElse(
                                                        group
                                                                + " has no Approved version; "
                                                                + to
                                                                + "/approved.json says so")));
    }

    @Command(name = "approve", description = "sets a package's status to Approved")
    int approve(
            @Mixin Location where,
            @Mixin Package p,
            @Option(names = "--note", paramLabel = "TEXT") String note) {
        return answer(() -> decide(where, p, ApprovalStatus.Approved, note));
    }

    @Command(name = "reject", description = "sets a package's status to Rejected")
    int reject(
            @Mixin Location where,
            @Mixin Package p,
            @Option(names = "--note", paramLabel = "TEXT") String note) {
        return answer(() -> decide(where, p, ApprovalStatus.Rejected, note));
    }

    private void decide(Location where, Package p, ApprovalStatus status, String note)
            throws IOException {
        ObjectNode updated = where.open().updateApproval(p.group, p.version, status, note);
        out().println(
                        updated.get("ModelPackageGroupName").asText()
                                + "/"
                                + updated.get("ModelPackageVersion").asText()
                                + " is now "
                                + updated.get("ModelApprovalStatus").asText());
    }

    /** Runs an action: a refused request is exit 2, a registry that cannot be used exit 1. */
    private int answer(Action action) {
        try {
            action.run();
            return 0;
        } catch (IllegalArgumentException e) {
            spec.commandLine().getErr().println("byoe registry: " + e.getMessage());
            return 2;
        } catch (IOException e) {
            spec.commandLine().getErr().println("byoe registry: " + e);
            return 1;
        } finally {
            out().flush();
        }
    }

    /** {@code group/version (status)} of a model package. */
    public static String summary(JsonNode modelPackage) {
        return modelPackage.get("ModelPackageGroupName").asText()
                + "/"
                + modelPackage.get("ModelPackageVersion").asText()
                + " ("
                + modelPackage.get("ModelApprovalStatus").asText()
                + ")";
    }

    private PrintWriter out() {
        return spec.commandLine().getOut();
    }

    private static List<String> orDefault(List<String> types, List<String> byDefault) {
        return types == null
                ? byDefault
                : types.stream().map(String::strip).filter(t -> !t.isEmpty()).toList();
    }
}
