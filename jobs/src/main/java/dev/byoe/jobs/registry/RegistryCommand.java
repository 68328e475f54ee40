package dev.byoe.jobs.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.byoe.core.Json;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * {@code byoe registry register|list|describe|approve|reject}: the local model registry from the
 * command line. The registry folder is {@code --registry}, else {@code $BYOE_REGISTRY}, else {@code
 * ./registry}.
 */
public final class RegistryCommand {
    /** What {@code byoe serve} accepts and answers with. */
    public static final List<String> CONTENT_TYPES =
            List.of("text/csv", "application/json", "application/jsonlines");

    private static final ObjectMapper JSON = Json.MAPPER;
    public static final String USAGE =
            """
            usage: byoe registry <action> [--registry DIR] ...
              register --group G --model DIR|model.tar.gz [--image IMAGE] [--metrics metrics.json]
                       [--content-types a,b] [--response-types a,b] [--status PendingManualApproval|Approved] [--description TEXT]
              list     [--group G]
              describe --group G --version N
              approve  --group G --version N [--note TEXT]
              reject   --group G --version N [--note TEXT]
            """;

    private RegistryCommand() {}

    public static int run(
            String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
        if (args.length == 0) {
            err.print(USAGE);
            return 2;
        }
        try {
            return switch (args[0]) {
                case "register" -> register(args, env, out);
                case "list" -> list(args, env, out);
                case "describe" -> {
                    Flags f = Flags.parse(args, 1, Set.of("registry", "group", "version"));
                    out.println(
                            JSON.writerWithDefaultPrettyPrinter()
                                    .writeValueAsString(
                                            registry(f, env)
                                                    .describe(f.require("group"), version(f))));
                    yield 0;
                }
                case "approve", "reject" -> {
                    Flags f = Flags.parse(args, 1, Set.of("registry", "group", "version", "note"));
                    ApprovalStatus status =
                            args[0].equals("approve")
                                    ? ApprovalStatus.Approved
                                    : ApprovalStatus.Rejected;
                    ObjectNode p =
                            registry(f, env)
                                    .updateApproval(
                                            f.require("group"),
                                            version(f),
                                            status,
                                            f.get("note", null));
                    out.println(
                            p.get("ModelPackageGroupName").asText()
                                    + "/"
                                    + p.get("ModelPackageVersion").asText()
                                    + " is now "
                                    + p.get("ModelApprovalStatus").asText());
                    yield 0;
                }
                default -> {
                    err.println("unknown registry action '" + args[0] + "'");
                    err.print(USAGE);
                    yield 2;
                }
            };
        } catch (IllegalArgumentException e) {
            err.println("byoe registry: " + e.getMessage());
            return 2;
        } catch (IOException e) {
            err.println("byoe registry: " + e);
            return 1;
        }
    }

    private static int register(String[] args, Map<String, String> env, PrintStream out)
            throws IOException {
        Flags f =
                Flags.parse(
                        args,
                        1,
                        Set.of(
                                "registry",
                                "group",
                                "model",
                                "image",
                                "metrics",
                                "content-types",
                                "response-types",
                                "status",
                                "description"));
        Path model = Path.of(f.require("model"));
        Map<String, Double> metrics = new LinkedHashMap<>();
        Map<String, String> hyperparameters = new LinkedHashMap<>();
        Path manifest = model.resolve("manifest.json");
        if (Files.isDirectory(model) && Files.exists(manifest)) {
            // A byoe model folder carries its own figures and the job's hyperparameters.
            JsonNode m = JSON.readTree(manifest.toFile());
            m.path("evaluation")
                    .path("ensemble")
                    .properties()
                    .forEach(e -> metrics.put("validation:" + e.getKey(), e.getValue().asDouble()));
            m.path("hyperparameters")
                    .properties()
                    .forEach(e -> hyperparameters.put(e.getKey(), e.getValue().asText()));
        }
        if (f.has("metrics")) {
            JSON.readTree(Path.of(f.require("metrics")).toFile())
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
        ApprovalStatus status =
                ApprovalStatus.parse(f.get("status", ApprovalStatus.PendingManualApproval.name()));
        ObjectNode p =
                registry(f, env)
                        .register(
                                new ModelRegistry.Registration(
                                        f.require("group"),
                                        model,
                                        metrics,
                                        hyperparameters,
                                        f.get("image", "byoe:latest"),
                                        list(f.get("content-types", null)),
                                        list(f.get("response-types", null)),
                                        status,
                                        f.get("description", null)));
        out.println(
                "registered "
                        + p.get("ModelPackageGroupName").asText()
                        + "/"
                        + p.get("ModelPackageVersion").asText()
                        + " ("
                        + p.get("ModelApprovalStatus").asText()
                        + ")");
        return 0;
    }

    private static int list(String[] args, Map<String, String> env, PrintStream out)
            throws IOException {
        Flags f = Flags.parse(args, 1, Set.of("registry", "group"));
        List<ObjectNode> packages = registry(f, env).list(f.get("group", null));
        out.printf(
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
            out.printf(
                    Locale.ROOT,
                    "%-30s %-8d %-22s %-25s %s%n",
                    p.path("ModelPackageGroupName").asText(),
                    p.path("ModelPackageVersion").asInt(),
                    p.path("ModelApprovalStatus").asText(),
                    p.path("CreationTime").asText(),
                    metrics);
        }
        return 0;
    }

    private static List<String> list(String csv) {
        return csv == null
                ? CONTENT_TYPES
                : Arrays.stream(csv.split(","))
                        .map(String::strip)
                        .filter(s -> !s.isEmpty())
                        .toList();
    }

    private static int version(Flags f) {
        String v = f.require("version");
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--version '" + v + "' is not a version number");
        }
    }

    public static ModelRegistry registry(Flags f, Map<String, String> env) {
        return new ModelRegistry(
                Path.of(f.get("registry", env.getOrDefault("BYOE_REGISTRY", "registry"))));
    }
}
