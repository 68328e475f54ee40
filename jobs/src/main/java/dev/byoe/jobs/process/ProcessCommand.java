package dev.byoe.jobs.process;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.byoe.core.JobFailure;
import dev.byoe.core.Json;
import dev.byoe.jobs.contract.FailureFile;
import dev.byoe.jobs.contract.JobCommand;
import dev.byoe.jobs.contract.MlPaths;
import dev.byoe.logs.ProcessArguments;
import dev.byoe.logs.ProcessOptions;
import dev.byoe.logs.ProcessedFiles;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code byoe process}: a SageMaker processing job. Inputs are the {@code LocalPath}s of {@code
 * /opt/ml/config/processingjobconfig.json} (all of them except one named {@code labels} or {@code
 * drain-state}, which feed those options), or {@code /opt/ml/processing/input}; the output is its
 * first output's {@code LocalPath}, or {@code /opt/ml/processing/output}. A failure writes {@code
 * /opt/ml/output/message} and exits non-zero. The root is {@code $BYOE_ML_ROOT} when set.
 */
@Command(
        name = "process",
        sortOptions = false,
        description = {
            "A SageMaker processing job: raw log lines to Drain events, templates and per-session"
                    + " event sequences. Inputs and output default to processingjobconfig.json's,"
                    + " else $BYOE_ML_ROOT (else /opt/ml)/processing/input and output."
        })
public final class ProcessCommand implements Callable<Integer>, JobCommand {
    @Mixin ProcessArguments arguments = new ProcessArguments();

    ProcessOptions options(
            List<Path> defaultInputs, Path defaultOutput, Path defaultLabels, Path defaultState) {
        return ProcessOptions.of(
                arguments, defaultInputs, defaultOutput, defaultLabels, defaultState);
    }

    @Override
    public Integer call() {
        MlPaths paths = MlPaths.fromEnvironment(System.getenv());
        PrintStream log = System.err;
        try {
            JobConfig job = JobConfig.read(paths.root());
            ProcessOptions options =
                    options(job.inputs(), job.output(), job.labels(), job.drainState());
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
            LogProcessor processor = new LogProcessor(options);
            if (job.hosts() > 1) {
                processor.withSessionParts();
            }
            Map<String, Object> summary = processor.run();
            log.println(
                    "byoe process: "
                            + ProcessedFiles.describe(summary)
                            + ", "
                            + summary.get("lines_per_second")
                            + " lines/s");
            return 0;
        } catch (Exception e) {
            return FailureFile.processingJobFailed("process", e, paths.processingMessage(), log);
        }
    }

    @Override
    public int refuse(String reason) {
        return FailureFile.processingJobFailed(
                "process",
                new JobFailure(reason),
                MlPaths.fromEnvironment(System.getenv()).processingMessage(),
                System.err);
    }

    /** The parts of processingjobconfig.json and resourceconfig.json byoe uses. */
    record JobConfig(
            List<Path> inputs,
            Path output,
            Path labels,
            Path drainState,
            String currentHost,
            int hosts) {
        static JobConfig read(Path root) throws IOException {
            ObjectMapper json = Json.MAPPER;
            Path config = root.resolve("config/processingjobconfig.json");
            List<Path> inputs = new ArrayList<>();
            Path labels = null;
            Path drainState = null;
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
                        case "labels" -> labels = firstFile(Path.of(local));
                        case "drain-state" -> drainState = firstFile(Path.of(local));
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
            return new JobConfig(inputs, output, labels, drainState, host, hosts);
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
