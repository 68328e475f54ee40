package dev.byoe.jobs.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.byoe.core.Json;
import dev.byoe.jobs.contract.MlPaths;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A CreateProcessingJob request run as a byoe job: inputs put at their {@code LocalPath}s, {@code
 * config/processingjobconfig.json} written, the container's arguments run as a byoe command, and
 * outputs copied to their {@code S3Uri}s once it succeeds. Its properties are
 * DescribeProcessingJob's answer.
 */
final class ProcessingJob {
    /** The byoe commands a processing job may run. */
    static final Set<String> COMMANDS = Set.of("process", "monitor", "evaluate");

    /** The entry points of byoe's image, which a request may name before its arguments. */
    private static final List<List<String>> ENTRY_POINTS =
            List.of(
                    List.of("/opt/byoe/entrypoint.sh"),
                    List.of("java", "-jar", "/opt/byoe/byoe.jar"));

    private ProcessingJob() {}

    static List<JsonNode> images(JsonNode arguments) {
        JsonNode image = arguments.path("AppSpecification").path("ImageUri");
        return image.isMissingNode() ? List.of() : List.of(image);
    }

    /** The byoe command line of the request, or {@code null} when it is not one. */
    static List<String> command(JsonNode arguments, List<String> fallback) {
        JsonNode app = arguments.path("AppSpecification");
        List<String> words = new ArrayList<>();
        app.path("ContainerEntrypoint")
                .forEach(w -> words.add(Expressions.isFunction(w) ? "?" : w.asText()));
        if (!words.isEmpty()) {
            List<String> entry =
                    ENTRY_POINTS.stream()
                            .filter(
                                    e ->
                                            words.size() >= e.size()
                                                    && words.subList(0, e.size()).equals(e))
                            .findFirst()
                            .orElse(null);
            if (entry == null) {
                return null;
            }
            words.subList(0, entry.size()).clear();
        }
        app.path("ContainerArguments")
                .forEach(w -> words.add(Expressions.isFunction(w) ? "?" : w.asText()));
        return words.isEmpty() ? fallback : words;
    }

    static List<String> check(JsonNode arguments, List<String> fallback) {
        List<String> problems = new ArrayList<>();
        List<String> command = command(arguments, fallback);
        if (command == null) {
            problems.add(
                    "AppSpecification.ContainerEntrypoint "
                            + arguments.path("AppSpecification").path("ContainerEntrypoint")
                            + " is not byoe's (leave it out, or use one of "
                            + ENTRY_POINTS
                            + ")");
        } else if (command.isEmpty() || !COMMANDS.contains(command.getFirst())) {
            problems.add(
                    "AppSpecification.ContainerArguments must start with a byoe processing command "
                            + COMMANDS
                            + "; got "
                            + command);
        }
        for (JsonNode in : arguments.path("ProcessingInputs")) {
            if (!in.has("S3Input")) {
                problems.add(
                        "ProcessingInputs["
                                + in.path("InputName").asText()
                                + "]: only S3Input inputs run here (a DatasetDefinition needs Athena or Redshift)");
            }
            JobFiles.notAPrefix(
                            "ProcessingInputs[" + in.path("InputName").asText() + "]",
                            in.path("S3Input"))
                    .ifPresent(problems::add);
        }
        return problems;
    }

    static ObjectNode run(
            StepRun run, JsonNode arguments, Map<String, String> extraEnv, List<String> fallback)
            throws Exception {
        String image = arguments.path("AppSpecification").path("ImageUri").asText(null);
        boolean docker = run.inDocker(image);
        Instant start = Instant.now();
        run.metadata(
                "ProcessingJob",
                Json.MAPPER.createObjectNode().put("Arn", run.arn("processing-job")));
        ObjectNode config =
                ((ObjectNode) arguments.deepCopy()).put("ProcessingJobName", run.jobName());
        for (JsonNode in : config.path("ProcessingInputs")) {
            ObjectNode s3 = (ObjectNode) in.path("S3Input");
            String local = s3.path("LocalPath").asText();
            JobFiles.download(
                    run.s3(),
                    s3.path("S3Uri").asText(),
                    run.local(local),
                    docker,
                    "ProcessingInput " + in.path("InputName").asText());
            s3.put("LocalPath", run.jobPath(local, image));
        }
        for (JsonNode out : config.path("ProcessingOutputConfig").path("Outputs")) {
            ObjectNode s3 = (ObjectNode) out.path("S3Output");
            String local = s3.path("LocalPath").asText();
            Files.createDirectories(run.local(local));
            s3.put("LocalPath", run.jobPath(local, image));
        }
        Path configFile =
                Files.createDirectories(run.root().resolve("config"))
                        .resolve("processingjobconfig.json");
        Json.INDENTED.writeValue(configFile.toFile(), config);
        Json.MAPPER.writeValue(
                run.root().resolve("config/resourceconfig.json").toFile(), MlPaths.ONE_HOST);
        Files.createDirectories(run.root().resolve("output"));
        Map<String, String> env = new LinkedHashMap<>();
        arguments
                .path("Environment")
                .properties()
                .forEach(e -> env.put(e.getKey(), run.jobPath(e.getValue().asText(), image)));
        extraEnv.forEach((k, v) -> env.put(k, run.jobPath(v, image)));
        List<String> args = new ArrayList<>();
        for (String a : command(arguments, fallback)) {
            args.add(run.jobPath(a, image));
        }
        JobLauncher.Outcome outcome =
                run.runJob(
                        image,
                        args,
                        env,
                        line -> {},
                        arguments.path("StoppingCondition").path("MaxRuntimeInSeconds").asLong(0),
                        List.of());
        ObjectNode props = ((ObjectNode) arguments.deepCopy());
        props.put("ProcessingJobName", run.jobName());
        props.put("ProcessingJobArn", run.arn("processing-job"));
        props.put("ProcessingStartTime", start.toString());
        if (outcome.exit() != 0) {
            throw JobFiles.failure(run.jobName(), run.root(), outcome, run.log());
        }
        for (JsonNode out : arguments.path("ProcessingOutputConfig").path("Outputs")) {
            JsonNode s3 = out.path("S3Output");
            JobFiles.upload(
                    run.local(s3.path("LocalPath").asText()), run.s3(), s3.path("S3Uri").asText());
        }
        props.put("ProcessingJobStatus", "Completed");
        props.put("ExitMessage", "");
        props.put("ProcessingEndTime", Instant.now().toString());
        return props;
    }

    /** The S3 URI of the output named {@code name}, or {@code null}. */
    static String outputUri(JsonNode arguments, String name) {
        for (JsonNode out : arguments.path("ProcessingOutputConfig").path("Outputs")) {
            if (out.path("OutputName").asText().equals(name)) {
                return out.path("S3Output").path("S3Uri").asText();
            }
        }
        return null;
    }
}
