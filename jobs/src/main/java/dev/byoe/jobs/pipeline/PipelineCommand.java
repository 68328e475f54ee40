package dev.byoe.jobs.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import dev.byoe.core.Json;
import dev.byoe.jobs.api.ApiShapes;
import dev.byoe.jobs.tune.TrialLauncher;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code byoe pipeline run|validate|list|describe}: SageMaker Pipelines definitions on this
 * machine. Exit 0 when the execution succeeded (or the definition is valid), 1 when it failed or
 * was stopped, 2 when the definition is refused before anything runs.
 */
@Command(
        name = "pipeline",
        description = {
            "SageMaker Pipelines definitions (schema 2020-12-01) on this machine: every step a real"
                    + " byoe job in its own /opt/ml folder, a folder standing in for S3"
                    + " (s3://bucket/key is ROOT/s3/bucket/key)."
        })
public final class PipelineCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    /** The class whose commands the steps' jobs run (byoe's Main). */
    private final String mainClass;

    public PipelineCommand(String mainClass) {
        this.mainClass = mainClass;
    }

    @Override
    public Integer call() {
        throw new ParameterException(
                spec.commandLine(), "an action is needed: run, validate, list or describe");
    }

    /** Where executions, local S3, models, the cache and (by default) the registry live. */
    static final class Root {
        @Option(
                names = "--root",
                paramLabel = "DIR",
                defaultValue = "local/pipelines",
                description = "default ${DEFAULT-VALUE}")
        Path root;
    }

    /** The definition and what decides whether it can run. */
    static final class Definition {
        @Option(
                names = "--definition",
                required = true,
                paramLabel = "FILE",
                description = "a pipeline definition (JSON)")
        Path file;

        @Option(
                names = "--parameter",
                paramLabel = "NAME=VALUE",
                description = "a parameter's value (repeatable)")
        Map<String, String> parameters = new LinkedHashMap<>();

        @Option(
                names = "--image",
                paramLabel = "URI",
                description =
                        "an image URI that is byoe's, beside any repository named byoe (repeatable)")
        List<String> images = new ArrayList<>();

        @Option(
                names = "--docker",
                description = "run container steps in Docker, with their own images")
        boolean docker;

        @Option(
                names = "--byoe-image",
                paramLabel = "IMAGE",
                defaultValue = "byoe:latest",
                description =
                        "with --docker: the local image that runs the steps whose image is byoe's"
                                + " (default ${DEFAULT-VALUE})")
        String byoeImage;

        PipelineDefinition read() throws DefinitionException, IOException {
            return DefinitionReader.read(
                    json(), parameters, new ByoeImages(Set.copyOf(images)), docker);
        }

        JsonNode json() throws DefinitionException {
            try {
                return Json.MAPPER.readTree(file.toFile());
            } catch (IOException e) {
                throw new DefinitionException(
                        List.of(file + ": not readable JSON: " + e.getMessage()));
            }
        }

        String pipelineName() {
            String name = file.getFileName().toString();
            return name.endsWith(".json") ? name.substring(0, name.length() - 5) : name;
        }
    }

    /** {@code --when-new-data}: executions started by data arriving. */
    static final class Trigger {
        @Option(
                names = "--when-new-data",
                required = true,
                paramLabel = "S3_PREFIX",
                description =
                        "start an execution when new objects appear under this prefix (as an EventBridge rule on S3 would)")
        String prefix;

        @Option(
                names = "--poll-seconds",
                defaultValue = "30",
                description = "default ${DEFAULT-VALUE}")
        long pollSeconds;

        @Option(
                names = "--object-parameter",
                paramLabel = "NAME",
                description =
                        "one execution per new object, with this parameter set to its URI (default: one per poll that finds any)")
        String objectParameter;

        @Option(
                names = "--max-executions",
                paramLabel = "N",
                description = "stop watching after N executions")
        Integer maxExecutions;
    }

    @Command(
            name = "run",
            sortOptions = false,
            description =
                    "Runs a definition; each step's job in ROOT/executions/<id>/steps/<step>.")
    int run(
            @Mixin Definition definition,
            @Mixin Root where,
            @Option(
                            names = "--registry",
                            paramLabel = "DIR",
                            description =
                                    "the model registry (default $BYOE_REGISTRY, else ROOT/registry)")
                    Path registry,
            @Option(
                            names = "--name",
                            paramLabel = "NAME",
                            description = "the pipeline's name (default: the file's)")
                    String name,
            @Option(
                            names = "--parallelism",
                            paramLabel = "N",
                            description = "steps at once (default: the processors)")
                    Integer parallelism,
            @ArgGroup(exclusive = false, heading = "Started by data:%n") Trigger trigger)
            throws Exception {
        PrintStream err = System.err;
        PipelineDefinition d = readOrRefuse(definition, err);
        if (d == null) {
            return 2;
        }
        String pipeline = name != null ? name : definition.pipelineName();
        String env = System.getenv("BYOE_REGISTRY");
        PipelineExecution.Settings settings =
                new PipelineExecution.Settings(
                        where.root.toAbsolutePath(),
                        registry != null
                                ? registry
                                : env != null && !env.isBlank()
                                        ? Path.of(env)
                                        : where.root.resolve("registry"),
                        new ByoeImages(Set.copyOf(definition.images)),
                        definition.docker,
                        definition.byoeImage,
                        TrialLauncher.byoe(mainClass),
                        parallelism != null
                                ? parallelism
                                : Runtime.getRuntime().availableProcessors(),
                        err,
                        System.console() != null && !"dumb".equals(System.getenv("TERM")));
        if (trigger == null) {
            return runOnce(d, pipeline, settings);
        }
        return watch(definition, d, pipeline, settings, trigger);
    }

    private static int runOnce(
            PipelineDefinition d, String pipeline, PipelineExecution.Settings settings)
            throws Exception {
        PipelineExecution execution = new PipelineExecution(d, pipeline, settings);
        CountDownLatch ended = new CountDownLatch(1);
        Thread stopper =
                new Thread(
                        () -> {
                            execution.stop();
                            try {
                                ended.await(60, TimeUnit.SECONDS);
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                        },
                        "byoe-pipeline-stop");
        Runtime.getRuntime().addShutdownHook(stopper);
        try {
            ExecutionRecord record = execution.run();
            return record.status().equals("Succeeded") ? 0 : 1;
        } finally {
            ended.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(stopper);
            } catch (IllegalStateException e) {
                // Shutting down: the hook is running.
            }
        }
    }

    /** Polls the prefix; new objects start executions. */
    private static int watch(
            Definition definition,
            PipelineDefinition first,
            String pipeline,
            PipelineExecution.Settings settings,
            Trigger trigger)
            throws Exception {
        LocalS3 s3 = settings.s3();
        Set<String> seen = new java.util.HashSet<>();
        s3.objects(trigger.prefix).forEach(o -> seen.add(o.relative()));
        settings.terminal()
                .println(
                        "pipeline "
                                + pipeline
                                + ": watching "
                                + trigger.prefix
                                + " ("
                                + s3.path(trigger.prefix)
                                + ") every "
                                + trigger.pollSeconds
                                + " s; "
                                + seen.size()
                                + " object(s) there already");
        int executions = 0;
        int failed = 0;
        while (trigger.maxExecutions == null || executions < trigger.maxExecutions) {
            Thread.sleep(TimeUnit.SECONDS.toMillis(trigger.pollSeconds));
            List<String> fresh = new ArrayList<>();
            for (LocalS3.Object o : s3.objects(trigger.prefix)) {
                if (seen.add(o.relative())) {
                    fresh.add(o.relative());
                }
            }
            if (fresh.isEmpty()) {
                continue;
            }
            List<PipelineDefinition> runs = new ArrayList<>();
            if (trigger.objectParameter == null) {
                runs.add(first);
            } else {
                String base = trigger.prefix.endsWith("/") ? trigger.prefix : trigger.prefix + "/";
                for (String f : fresh) {
                    definition.parameters.put(trigger.objectParameter, base + f);
                    runs.add(definition.read());
                }
            }
            for (PipelineDefinition d : runs) {
                if (trigger.maxExecutions != null && executions >= trigger.maxExecutions) {
                    break;
                }
                settings.terminal()
                        .println(
                                "pipeline "
                                        + pipeline
                                        + ": new data "
                                        + fresh
                                        + " under "
                                        + trigger.prefix);
                failed += runOnce(d, pipeline, settings) == 0 ? 0 : 1;
                executions++;
            }
        }
        return failed == 0 ? 0 : 1;
    }

    @Command(
            name = "validate",
            sortOptions = false,
            description =
                    "Checks a definition without running it: references, step types, images, each step's Arguments against"
                            + " SageMaker's request shape, and (with --schema) the published definition schema.")
    int validate(
            @Mixin Definition definition,
            @Option(
                            names = "--schema",
                            paramLabel = "FILE",
                            description = "pipeline-definition.schema.json to check against")
                    Path schema)
            throws IOException {
        PrintStream out = System.out;
        PrintStream err = System.err;
        PipelineDefinition d = readOrRefuse(definition, err);
        if (d == null) {
            return 2;
        }
        List<String> problems =
                new ArrayList<>(DefinitionReader.checkRequests(d, ApiShapes.bundled()));
        if (schema != null) {
            SchemaCheck.Result r = SchemaCheck.check(d, schema);
            r.problems().forEach(p -> problems.add("schema: " + p));
            r.knownDifferences()
                    .forEach(
                            p ->
                                    out.println(
                                            "note: the schema (older than the SDK) does not list: "
                                                    + p));
        }
        if (!problems.isEmpty()) {
            return refused(new DefinitionException(problems), err);
        }
        out.println(
                definition.file
                        + ": valid; "
                        + d.steps().size()
                        + " steps: "
                        + d.steps().stream().map(s -> s.name() + " (" + s.type() + ")").toList()
                        + (schema == null
                                ? "; not checked against the definition schema (no --schema)"
                                : ""));
        return 0;
    }

    @Command(name = "list", description = "Lists the executions under ROOT, newest first.")
    int list(@Mixin Root where) throws IOException {
        Path executions = where.root.resolve("executions");
        if (!Files.isDirectory(executions)) {
            System.out.println("no executions in " + executions);
            return 0;
        }
        List<JsonNode> records = new ArrayList<>();
        try (Stream<Path> dirs = Files.list(executions)) {
            for (Path dir : dirs.toList()) {
                Path f = dir.resolve(ExecutionRecord.FILE);
                if (Files.isRegularFile(f)) {
                    records.add(Json.MAPPER.readTree(f.toFile()));
                }
            }
        }
        records.sort(
                Comparator.comparing((JsonNode r) -> r.path("CreationTime").asText()).reversed());
        System.out.printf(
                "%-14s %-10s %-25s %-30s %s%n",
                "execution", "status", "started", "pipeline", "failure");
        for (JsonNode r : records) {
            String arn = r.path("PipelineExecutionArn").asText();
            String pipelineArn = r.path("PipelineArn").asText();
            System.out.printf(
                    "%-14s %-10s %-25s %-30s %s%n",
                    arn.substring(arn.lastIndexOf('/') + 1),
                    r.path("PipelineExecutionStatus").asText(),
                    r.path("CreationTime").asText(),
                    pipelineArn.substring(pipelineArn.lastIndexOf('/') + 1),
                    r.path("FailureReason").asText(""));
        }
        return 0;
    }

    @Command(
            name = "describe",
            description =
                    "Prints an execution's record (DescribePipelineExecution with its steps).")
    int describe(
            @Mixin Root where,
            @Option(names = "--execution", required = true, paramLabel = "ID") String id)
            throws IOException {
        Path f = where.root.resolve("executions").resolve(id).resolve(ExecutionRecord.FILE);
        if (!id.matches("[a-z0-9]{1,64}") || !Files.isRegularFile(f)) {
            System.err.println("byoe pipeline: no execution " + id + " under " + where.root);
            return 2;
        }
        System.out.println(Json.INDENTED.writeValueAsString(Json.MAPPER.readTree(f.toFile())));
        return 0;
    }

    /** The definition, or {@code null} once its problems are printed. */
    private static PipelineDefinition readOrRefuse(Definition definition, PrintStream err)
            throws IOException {
        try {
            return definition.read();
        } catch (DefinitionException e) {
            refused(e, err);
            return null;
        }
    }

    private static int refused(DefinitionException e, PrintStream err) {
        err.println(
                "byoe pipeline: the definition is refused ("
                        + e.problems().size()
                        + " problem"
                        + (e.problems().size() == 1 ? "" : "s")
                        + "; nothing ran):");
        e.problems().forEach(p -> err.println("  - " + p));
        return 2;
    }
}
