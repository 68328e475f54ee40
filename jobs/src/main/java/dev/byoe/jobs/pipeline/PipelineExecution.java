package dev.byoe.jobs.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.byoe.core.Json;
import dev.byoe.jobs.api.LocalArns;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletionService;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.commons.io.file.PathUtils;

/**
 * One execution of a definition: steps start as soon as what they depend on has succeeded (at most
 * {@code parallelism} at once), a Condition step's outcome decides which branch runs, a failure
 * stops new steps from starting, and {@link #stop} stops the running jobs. Each step runs in {@code
 * executions/<id>/steps/<step>/} (its {@code /opt/ml}); the record is {@link ExecutionRecord}.
 */
public final class PipelineExecution {
    private static final SecureRandom RANDOM = new SecureRandom();

    /**
     * Where and how executions run; {@code byoeImage} is the local image that runs byoe's steps
     * with {@code docker}.
     */
    public record Settings(
            Path root,
            Path registry,
            ByoeImages images,
            boolean docker,
            String byoeImage,
            List<String> byoe,
            int parallelism,
            PrintStream terminal,
            boolean live) {
        public LocalS3 s3() {
            return new LocalS3(root);
        }

        public Path executions() {
            return root.resolve("executions");
        }
    }

    private enum State {
        PENDING,
        RUNNING,
        SUCCEEDED,
        FAILED,
        STOPPED,
        NOT_RUN
    }

    /** How a step's run ended. */
    private record Finished(String step, State state) {}

    private final PipelineDefinition definition;
    private final Settings settings;
    private final String pipelineName;
    private final String id;
    private final Path folder;
    private final Instant start = Instant.now();
    private final ExecutionRecord record;
    private final JobLauncher launcher;
    private final Progress progress;
    private final Map<String, State> states = new ConcurrentHashMap<>();
    private final Map<String, JsonNode> properties = new ConcurrentHashMap<>();
    private final Map<String, Boolean> outcomes = new ConcurrentHashMap<>();
    private volatile boolean stopping;
    private volatile String failure;

    public PipelineExecution(PipelineDefinition definition, String pipelineName, Settings settings)
            throws IOException {
        this.definition = definition;
        this.settings = settings;
        this.pipelineName = pipelineName;
        this.id = newId();
        this.folder = Files.createDirectories(settings.executions().resolve(id));
        Json.INDENTED.writeValue(folder.resolve("definition.json").toFile(), definition.json());
        this.record = new ExecutionRecord(folder, pipelineName, id, definition.parameterValues());
        this.launcher = new JobLauncher(settings.byoe());
        this.progress = new Progress(settings.terminal(), settings.live());
        definition.steps().forEach(s -> states.put(s.name(), State.PENDING));
    }

    static String arn(String resource) {
        return LocalArns.PREFIX + resource.toLowerCase(Locale.ROOT);
    }

    /** SageMaker's execution ids: 12 lower-case letters and digits. */
    private static String newId() {
        String alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 12; i++) {
            b.append(alphabet.charAt(RANDOM.nextInt(alphabet.length())));
        }
        return b.toString();
    }

    public String id() {
        return id;
    }

    public Path folder() {
        return folder;
    }

    Settings settings() {
        return settings;
    }

    ExecutionRecord record() {
        return record;
    }

    JobLauncher launcher() {
        return launcher;
    }

    void note(String step, String line) {
        progress.state(step, "Executing", line);
    }

    /** Runs every step that can run; returns the record once the execution has ended. */
    public ExecutionRecord run() throws InterruptedException {
        settings.terminal()
                .printf(
                        Locale.ROOT,
                        "pipeline %s: execution %s (%d steps), record in %s%n",
                        pipelineName,
                        id,
                        definition.steps().size(),
                        folder.resolve(ExecutionRecord.FILE));
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, settings.parallelism()));
        ScheduledExecutorService ticker =
                Executors.newSingleThreadScheduledExecutor(Thread.ofVirtual().factory());
        ticker.scheduleAtFixedRate(progress::tick, 1, 1, TimeUnit.SECONDS);
        CompletionService<Finished> done = new ExecutorCompletionService<>(pool);
        int running = 0;
        try {
            while (true) {
                markNotRun();
                if (failure == null && !stopping) {
                    for (Step s : definition.steps()) {
                        if (states.get(s.name()) == State.PENDING && ready(s)) {
                            states.put(s.name(), State.RUNNING);
                            done.submit(() -> new Finished(s.name(), runStep(s)));
                            running++;
                        }
                    }
                }
                if (running == 0) {
                    break;
                }
                Finished finished = done.take().get();
                states.put(finished.step(), finished.state());
                running--;
            }
        } catch (java.util.concurrent.ExecutionException e) {
            failure = "byoe: " + e.getCause();
        } finally {
            pool.shutdownNow();
            ticker.shutdownNow();
        }
        String status = stopping ? "Stopped" : failure != null ? "Failed" : "Succeeded";
        record.status(status, stopping ? "stopped by the user" : failure);
        settings.terminal()
                .printf(
                        Locale.ROOT,
                        "pipeline %s: execution %s %s%s%n",
                        pipelineName,
                        id,
                        status,
                        failure != null && !stopping ? ": " + failure : "");
        return record;
    }

    /** Stops the running jobs (SIGTERM, then after 30 s SIGKILL); the execution ends Stopped. */
    public void stop() {
        if (!stopping) {
            stopping = true;
            record.status("Stopping", null);
            launcher.stopAll(30);
        }
    }

    private boolean ready(Step s) {
        for (String d : s.dependsOn()) {
            if (states.get(d) != State.SUCCEEDED) {
                return false;
            }
        }
        return s.condition() == null
                || Boolean.valueOf(s.ifBranch()).equals(outcomes.get(s.condition()));
    }

    /** Steps in a branch not taken, and steps after them, never run. */
    private void markNotRun() {
        boolean changed = true;
        while (changed) {
            changed = false;
            for (Step s : definition.steps()) {
                if (states.get(s.name()) != State.PENDING) {
                    continue;
                }
                boolean notRun =
                        s.dependsOn().stream().anyMatch(d -> states.get(d) == State.NOT_RUN)
                                || (s.condition() != null
                                        && outcomes.containsKey(s.condition())
                                        && outcomes.get(s.condition()) != s.ifBranch());
                if (notRun) {
                    states.put(s.name(), State.NOT_RUN);
                    changed = true;
                }
            }
        }
    }

    private State runStep(Step step) {
        record.started(step);
        progress.state(step.name(), "Executing", null);
        int attempt = 1;
        while (true) {
            try {
                ExecutionScope scope = new ExecutionScope();
                JsonNode arguments =
                        Expressions.resolve(step.kind().resolvable(step.arguments()), scope);
                JsonNode resolvedStep =
                        Expressions.resolve(
                                ((ObjectNode) step.json().deepCopy()).without("Arguments"), scope);
                String key = cacheKey(step, arguments, resolvedStep);
                JsonNode cached =
                        step.cache().enabled()
                                ? StepCache.find(settings.root(), key, step.cache())
                                : null;
                if (cached != null) {
                    properties.put(step.name(), cached.path("Properties"));
                    cached.path("Metadata")
                            .properties()
                            .forEach(
                                    e ->
                                            record.metadata(
                                                    step.name(),
                                                    e.getKey(),
                                                    (ObjectNode) e.getValue()));
                    String source = cached.path("ExecutionArn").asText();
                    record.finished(step.name(), "Succeeded", null, source);
                    progress.state(
                            step.name(),
                            "Succeeded",
                            "cache hit: not run again (results of "
                                    + source.substring(source.lastIndexOf('/') + 1)
                                    + ")");
                    return State.SUCCEEDED;
                }
                Path root = folder.resolve("steps").resolve(step.name());
                if (attempt > 1 && Files.exists(root)) {
                    PathUtils.deleteDirectory(root);
                }
                Files.createDirectories(root);
                JsonNode props =
                        step.kind()
                                .run(
                                        new StepRun(
                                                step,
                                                arguments,
                                                resolvedStep,
                                                root,
                                                jobName(step),
                                                this));
                properties.put(step.name(), props);
                if (props.has("Outcome")) {
                    outcomes.put(step.name(), props.path("Outcome").asBoolean());
                }
                if (step.cache().enabled()) {
                    StepCache.store(
                            settings.root(),
                            key,
                            record.arn(),
                            props,
                            record.snapshot(),
                            step.name());
                }
                record.finished(step.name(), "Succeeded", null, null);
                progress.state(
                        step.name(),
                        "Succeeded",
                        props.has("Outcome")
                                ? "Outcome " + props.path("Outcome").asBoolean()
                                : null);
                return State.SUCCEEDED;
            } catch (StepFailure f) {
                if (stopping) {
                    return stopped(step);
                }
                Step.Retry retry = retryFor(step, f.exceptionType());
                if (retry != null && attempt < retry.maxAttempts()) {
                    long wait =
                            (long)
                                    (retry.intervalSeconds()
                                            * 1000
                                            * Math.pow(retry.backoffRate(), attempt - 1));
                    progress.state(
                            step.name(),
                            "Executing",
                            "attempt "
                                    + attempt
                                    + " failed ("
                                    + f.exceptionType()
                                    + "): retrying in "
                                    + wait / 1000.0
                                    + " s");
                    try {
                        Thread.sleep(wait);
                    } catch (InterruptedException e) {
                        return stopped(step);
                    }
                    attempt++;
                    record.attempt(step.name(), attempt);
                    continue;
                }
                return failed(step, f.getMessage(), step.type().equals("Fail"));
            } catch (InterruptedException e) {
                return stopped(step);
            } catch (IllegalArgumentException e) {
                return failed(step, e.getMessage(), false);
            } catch (Exception e) {
                return stopping ? stopped(step) : failed(step, e.toString(), false);
            }
        }
    }

    private State stopped(Step step) {
        record.finished(step.name(), "Stopped", "stopped by the user", null);
        progress.state(step.name(), "Stopped", null);
        return State.STOPPED;
    }

    private State failed(Step step, String reason, boolean failStep) {
        record.finished(step.name(), "Failed", reason, null);
        progress.state(step.name(), "Failed", reason);
        // As SageMaker: a Fail step's message is the execution's reason.
        failure = failStep ? reason : "Step " + step.name() + " failed: " + reason;
        return State.FAILED;
    }

    private static Step.Retry retryFor(Step step, String exceptionType) {
        if (exceptionType == null) {
            return null;
        }
        return step.retries().stream()
                .filter(r -> r.exceptionTypes().contains(exceptionType))
                .findFirst()
                .orElse(null);
    }

    /**
     * SageMaker's job names in a pipeline: {@code pipelines-<execution>-<step>-<random>}, within
     * the job's name limit (a tuning job's is 32 characters: then the execution and a random part).
     */
    private String jobName(Step step) {
        String random = Long.toString(RANDOM.nextLong() & Long.MAX_VALUE, 36);
        int limit = step.kind().jobNameLimit();
        if (limit < 40) {
            return (id + "-" + random)
                    .substring(0, Math.min(limit, id.length() + 1 + random.length()));
        }
        String name = "pipelines-" + id + "-" + step.name().replaceAll("[^a-zA-Z0-9-]", "-");
        return (name.length() > limit - 11 ? name.substring(0, limit - 11) : name)
                + "-"
                + random.substring(0, Math.min(10, random.length()));
    }

    private static String cacheKey(Step step, JsonNode arguments, JsonNode resolvedStep) {
        ObjectNode what = Json.MAPPER.createObjectNode();
        what.put("Type", step.type());
        what.set("Arguments", arguments);
        ObjectNode rest = ((ObjectNode) resolvedStep).deepCopy();
        rest.remove(
                List.of(
                        "Name",
                        "DisplayName",
                        "Description",
                        "DependsOn",
                        "CacheConfig",
                        "RetryPolicies"));
        what.set("Step", rest);
        try {
            return HexFormat.of()
                    .formatHex(
                            MessageDigest.getInstance("SHA-256")
                                    .digest(what.toString().getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The values of {@code Get} paths during this execution. */
    private final class ExecutionScope implements Expressions.Scope {
        @Override
        public JsonNode get(PropertyPath path) {
            String second = path.name(1);
            JsonNode value =
                    switch (path.root()) {
                        case "Parameters" -> definition.parameterValues().get(second);
                        case "Execution" -> execution(second);
                        case "Steps" -> step(path);
                        default -> null;
                    };
            if (value == null) {
                throw new IllegalArgumentException("Get '" + path.text() + "': no such value");
            }
            return value;
        }

        private JsonNode execution(String variable) {
            var nodes = Json.MAPPER.getNodeFactory();
            return switch (variable) {
                case "PipelineExecutionId" -> nodes.textNode(id);
                case "PipelineExecutionArn" -> nodes.textNode(record.arn());
                case "PipelineName" -> nodes.textNode(pipelineName);
                case "PipelineArn" -> nodes.textNode(arn("pipeline/" + pipelineName));
                case "StartDateTime" -> nodes.textNode(start.toString());
                case "CurrentDateTime" -> nodes.textNode(Instant.now().toString());
                default -> null;
            };
        }

        private JsonNode step(PropertyPath path) {
            String name = path.name(1);
            JsonNode props = properties.get(name);
            if (props == null) {
                throw new IllegalArgumentException(
                        "Get '" + path.text() + "': step " + name + " has not succeeded");
            }
            JsonNode value = path.navigate(props, 2);
            if (value == null || value.isNull()) {
                throw new IllegalArgumentException(
                        "Get '"
                                + path.text()
                                + "': step "
                                + name
                                + " has no such property (its properties: "
                                + props
                                + ")");
            }
            return value;
        }

        @Override
        public JsonNode propertyFile(PropertyPath path) {
            String name = path.name(1);
            String file = path.name(3);
            Step step = definition.step(name);
            JsonNode props = properties.get(name);
            if (step == null || props == null || !"PropertyFiles".equals(path.name(2))) {
                throw new IllegalArgumentException(
                        "'" + path.text() + "' is not a property file of a step that succeeded");
            }
            Step.PropertyFile pf =
                    step.propertyFiles().stream()
                            .filter(f -> f.name().equals(file))
                            .findFirst()
                            .orElseThrow(
                                    () ->
                                            new IllegalArgumentException(
                                                    "step "
                                                            + name
                                                            + " declares no property file "
                                                            + file));
            String uri =
                    PropertyPath.parse("x.Outputs['" + pf.outputName() + "'].S3Output.S3Uri")
                                            .navigate(props.path("ProcessingOutputConfig"), 1)
                                    instanceof JsonNode n
                            ? n.asText()
                            : null;
            if (uri == null) {
                throw new IllegalArgumentException(
                        "property file "
                                + file
                                + ": step "
                                + name
                                + " has no output '"
                                + pf.outputName()
                                + "'");
            }
            Path json = settings.s3().path(uri).resolve(pf.filePath());
            try {
                return Json.MAPPER.readTree(json.toFile());
            } catch (IOException e) {
                throw new IllegalArgumentException(
                        "property file "
                                + file
                                + " of step "
                                + name
                                + " ("
                                + uri
                                + "/"
                                + pf.filePath()
                                + "): "
                                + e.getMessage());
            }
        }
    }
}
