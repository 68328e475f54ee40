package dev.byoe.jobs.process;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.byoe.core.Json;
import dev.byoe.jobs.contract.FailureFile;
import dev.byoe.jobs.contract.JobFailure;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code byoe process}: a SageMaker processing job. Inputs are the {@code LocalPath}s of {@code
 * /opt/ml/config/processingjobconfig.json} (all of them except one named {@code labels} or {@code
 * drain-state}, which feed those options), or {@code /opt/ml/processing/input}; the output is its
 * first output's {@code LocalPath}, or {@code /opt/ml/processing/output}. A failure writes {@code
 * /opt/ml/output/message} and exits non-zero. The root is {@code $BYOE_ML_ROOT} when set.
 */
public final class ProcessCommand {
    private ProcessCommand() {}

    public static int run(
            String[] args, Map<String, String> env, PrintStream out, PrintStream log) {
        String rootText = env.get("BYOE_ML_ROOT");
        Path root = Path.of(rootText == null || rootText.isBlank() ? "/opt/ml" : rootText);
        Path message = root.resolve("output/message");
        try {
            JobConfig job = JobConfig.read(root);
            List<String> all = new ArrayList<>(job.extraArgs());
            all.addAll(List.of(args));
            ProcessOptions options =
                    ProcessOptions.parse(all.toArray(new String[0]), job.inputs(), job.output());
            if (job.hosts() > 1) {
                // Every host uploads its output folder to the same S3 prefix: files under the same
                // names would overwrite each other, and the last upload would win.
                options = options.withOutput(options.output().resolve(job.currentHost()));
            }
            log.println(
                    "byoe process: "
                            + options.inputs()
                            + " -> "
                            + options.output()
                            + (job.hosts() > 1
                                    ? " (host "
                                            + job.currentHost()
                                            + " of "
                                            + job.hosts()
                                            + ": this host's outputs go under its own name)"
                                    : ""));
            Map<String, Object> summary = new LogProcessor(options).run();
            log.println(
                    "byoe process: "
                            + summary.get("lines")
                            + " lines ("
                            + summary.get("malformed")
                            + " not matching the log format), "
                            + summary.get("events")
                            + " events, "
                            + summary.getOrDefault("sessions", 0)
                            + " sessions, "
                            + summary.get("lines_per_second")
                            + " lines/s");
            return 0;
        } catch (Exception e) {
            return FailureFile.processingJobFailed("process", e, message, log);
        }
    }

    /** The parts of processingjobconfig.json and resourceconfig.json byoe uses. */
    record JobConfig(
            List<Path> inputs, Path output, List<String> extraArgs, String currentHost, int hosts) {
        static JobConfig read(Path root) throws IOException {
            ObjectMapper json = Json.MAPPER;
            Path config = root.resolve("config/processingjobconfig.json");
            List<Path> inputs = new ArrayList<>();
            List<String> extra = new ArrayList<>();
            Path output = root.resolve("processing/output");
            if (Files.exists(config)) {
                JsonNode job = read(json, config);
                for (JsonNode in : job.path("ProcessingInputs")) {
                    String name = in.path("InputName").asText();
                    String local = in.path("S3Input").path("LocalPath").asText(null);
                    if (local == null) {
                        continue;
                    }
                    switch (name) {
                        case "labels" ->
                                extra.addAll(
                                        List.of("--labels", firstFile(Path.of(local)).toString()));
                        case "drain-state" ->
                                extra.addAll(
                                        List.of(
                                                "--drain-state",
                                                firstFile(Path.of(local)).toString()));
                        default -> inputs.add(Path.of(local));
                    }
                }
                JsonNode outputs = job.path("ProcessingOutputConfig").path("Outputs");
                if (outputs.size() > 0) {
                    output =
                            Path.of(
                                    outputs.get(0)
                                            .path("S3Output")
                                            .path("LocalPath")
                                            .asText(output.toString()));
                }
            }
            if (inputs.isEmpty()) {
                inputs.add(root.resolve("processing/input"));
            }
            String host = "algo-1";
            int hosts = 1;
            Path resources = root.resolve("config/resourceconfig.json");
            if (Files.exists(resources)) {
                JsonNode r = read(json, resources);
                host = r.path("current_host").asText(host);
                hosts = Math.max(1, r.path("hosts").size());
            }
            return new JobConfig(inputs, output, extra, host, hosts);
        }

        private static JsonNode read(ObjectMapper json, Path file) {
            try {
                return json.readTree(file.toFile());
            } catch (IOException e) {
                throw new JobFailure(file + " is not valid JSON: " + e.getMessage());
            }
        }

        /** An input channel is a folder; the option wants the file in it. */
        private static Path firstFile(Path local) throws IOException {
            if (Files.isRegularFile(local)) {
                return local;
            }
            try (var s = Files.list(local)) {
                return s.filter(Files::isRegularFile)
                        .sorted()
                        .findFirst()
                        .orElseThrow(
                                () -> new JobFailure("input folder " + local + " has no file"));
            }
        }
    }
}
