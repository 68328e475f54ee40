package dev.byoe.jobs.evaluate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.byoe.core.JobFailure;
import dev.byoe.core.Json;
import dev.byoe.core.data.Predictions;
import dev.byoe.jobs.contract.FailureFile;
import dev.byoe.jobs.contract.JobCommand;
import dev.byoe.jobs.contract.MlPaths;
import dev.byoe.jobs.registry.ModelArchive;
import dev.byoe.model.EnsembleModel;
import dev.byoe.model.anomaly.LogAnomalyModel;
import dev.byoe.training.metrics.Metric;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.apache.commons.io.file.PathUtils;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code byoe evaluate}: a processing job. Inputs by name in {@code processingjobconfig.json}:
 * {@code model} (the new model's {@code model.tar.gz}), {@code test} (held-out CSV with a header
 * and the target column, or Parquet), optionally {@code approved} (what {@code registry export}
 * writes: {@code approved.json}, and the approved version's {@code model.tar.gz} when there is one)
 * and {@code predictions} (a batch transform's output of the same rows, checked against the model).
 * Writes {@code evaluation.json} to its first output.
 */
@Command(
        name = "evaluate",
        sortOptions = false,
        description = {
            "A processing job: scores a new tabular model and the group's approved one on the same"
                    + " held-out CSV and writes evaluation.json (metrics, and whether the new one is"
                    + " better) for a pipeline's condition."
        })
public final class EvaluateCommand implements Callable<Integer>, JobCommand {
    public static final String REPORT = "evaluation.json";

    @Option(
            names = "--metric",
            paramLabel = "NAME",
            description =
                    "the metric that compares the models (default: the objective's first, e.g. rmse)")
    String metricName;

    @Override
    public Integer call() {
        MlPaths paths = MlPaths.fromEnvironment(System.getenv());
        PrintStream log = System.err;
        try {
            Map<String, Path> inputs = inputs(paths.root());
            Path output = output(paths.root());
            ObjectNode report = evaluate(inputs, log);
            Files.createDirectories(output);
            Json.INDENTED.writeValue(output.resolve(REPORT).toFile(), report);
            log.println(
                    "byoe evaluate: "
                            + report.path("comparison")
                            + " -> "
                            + output.resolve(REPORT));
            return 0;
        } catch (Exception e) {
            return FailureFile.processingJobFailed("evaluate", e, paths.processingMessage(), log);
        }
    }

    @Override
    public int refuse(String reason) {
        return FailureFile.processingJobFailed(
                "evaluate",
                new JobFailure(reason),
                MlPaths.fromEnvironment(System.getenv()).processingMessage(),
                System.err);
    }

    private ObjectNode evaluate(Map<String, Path> inputs, PrintStream log) throws Exception {
        Path modelInput = required(inputs, "model");
        HeldOutSet test = HeldOutSet.read(onlyFile(required(inputs, "test"), ".csv", ".parquet"));
        ObjectNode report = Json.MAPPER.createObjectNode();
        report.put("rows", test.size());
        Path work = Files.createTempDirectory("byoe-evaluate");
        try (EnsembleModel model = load(archive(modelInput), work.resolve("new"))) {
            Metric metric = metric(model);
            Predictions predictions = model.predict(test.features(model.schema())).ensemble();
            double[] labels = test.labels(model.target());
            ObjectNode metrics = report.putObject("metrics");
            for (Metric m : Metric.forObjective(model.target().objective())) {
                metrics.putObject(m.id()).put("value", m.compute(predictions, labels));
            }
            if (inputs.containsKey("predictions")) {
                report.set("transform", checkTransform(inputs.get("predictions"), predictions));
            }
            double mine = metric.compute(predictions, labels);
            ObjectNode comparison = report.putObject("comparison");
            comparison
                    .put("metric", metric.id())
                    .put("higher_is_better", metric.higherIsBetter())
                    .put("new", mine);
            JsonNode approved = approved(inputs.get("approved"));
            Path approvedModel =
                    inputs.containsKey("approved")
                            ? inputs.get("approved").resolve("model.tar.gz")
                            : null;
            if (approved == null || approvedModel == null || !Files.isRegularFile(approvedModel)) {
                comparison.put("better", true);
                comparison.put("reason", "no approved model in the group to compare with");
                return report;
            }
            try (EnsembleModel old = load(approvedModel, work.resolve("approved"))) {
                double theirs =
                        metric.compute(
                                old.predict(test.features(old.schema())).ensemble(),
                                test.labels(old.target()));
                boolean better = metric.higherIsBetter() ? mine > theirs : mine < theirs;
                comparison.put("approved", theirs);
                comparison.put("approved_version", approved.path("ModelPackageVersion").asInt());
                comparison.put("better", better);
                comparison.put(
                        "reason",
                        String.format(
                                java.util.Locale.ROOT,
                                "%s %.6g (new) against %.6g (approved version %d) on the same %d rows",
                                metric.id(),
                                mine,
                                theirs,
                                approved.path("ModelPackageVersion").asInt(),
                                test.size()));
                log.println("byoe evaluate: " + comparison.path("reason").asText());
            }
            return report;
        } finally {
            PathUtils.deleteDirectory(work);
        }
    }

    private Metric metric(EnsembleModel model) {
        List<Metric> metrics = Metric.forObjective(model.target().objective());
        if (metricName == null) {
            return metrics.getFirst();
        }
        return metrics.stream()
                .filter(m -> m.id().equals(metricName))
                .findFirst()
                .orElseThrow(
                        () ->
                                new JobFailure(
                                        "--metric "
                                                + metricName
                                                + " is not one of "
                                                + Metric.ids(metrics)));
    }

    /** The batch transform's answers against the model's own: the same model served. */
    private static ObjectNode checkTransform(Path folder, Predictions predictions)
            throws IOException {
        List<String> lines = new ArrayList<>();
        try (Stream<Path> files = Files.walk(folder)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".out")).sorted().toList()) {
                Files.readAllLines(f, StandardCharsets.UTF_8).stream()
                        .filter(l -> !l.isBlank())
                        .forEach(lines::add);
            }
        }
        if (lines.size() != predictions.rows()) {
            throw new JobFailure(
                    "the batch transform answered "
                            + lines.size()
                            + " rows for "
                            + predictions.rows()
                            + " held-out rows");
        }
        ObjectNode out = Json.MAPPER.createObjectNode().put("rows", lines.size());
        if (predictions.width() == 1) {
            double worst = 0;
            for (int i = 0; i < lines.size(); i++) {
                // The answer is the last field: a transform may join it to its record.
                String line = lines.get(i);
                String answer = line.substring(line.lastIndexOf(',') + 1).strip();
                worst =
                        Math.max(
                                worst,
                                Math.abs(Double.parseDouble(answer) - predictions.get(i, 0)));
            }
            out.put("max_abs_difference", worst);
        }
        return out;
    }

    private static JsonNode approved(Path folder) throws IOException {
        if (folder == null || !Files.isRegularFile(folder.resolve("approved.json"))) {
            return null;
        }
        JsonNode j = Json.MAPPER.readTree(folder.resolve("approved.json").toFile());
        return j.path("ModelApprovalStatus").asText().equals("Approved") ? j : null;
    }

    private static EnsembleModel load(Path archive, Path folder) throws Exception {
        ModelArchive.unpack(archive, folder);
        if (LogAnomalyModel.isLogModel(folder)) {
            throw new JobFailure(
                    "evaluate scores tabular ensembles; " + archive + " is a log anomaly model");
        }
        return EnsembleModel.load(folder);
    }

    private static Path archive(Path input) throws IOException {
        return onlyFile(input, ".tar.gz");
    }

    /** The one file in {@code input} whose name ends with one of {@code suffixes}. */
    private static Path onlyFile(Path input, String... suffixes) throws IOException {
        if (Files.isRegularFile(input)) {
            return input;
        }
        try (Stream<Path> s = Files.walk(input)) {
            List<Path> files =
                    s.filter(
                                    p ->
                                            Files.isRegularFile(p)
                                                    && Arrays.stream(suffixes)
                                                            .anyMatch(p.toString()::endsWith))
                            .sorted()
                            .toList();
            if (files.size() != 1) {
                throw new JobFailure(
                        input
                                + " must hold one "
                                + String.join(" or ", suffixes)
                                + " file; it holds "
                                + files.size());
            }
            return files.getFirst();
        }
    }

    private static Path required(Map<String, Path> inputs, String name) {
        Path p = inputs.get(name);
        if (p == null) {
            throw new JobFailure(
                    "evaluate needs a ProcessingInput named '"
                            + name
                            + "' (it has "
                            + inputs.keySet()
                            + ")");
        }
        return p;
    }

    /** Inputs by name from processingjobconfig.json. */
    private static Map<String, Path> inputs(Path root) throws IOException {
        Map<String, Path> out = new LinkedHashMap<>();
        Path config = root.resolve("config/processingjobconfig.json");
        if (!Files.exists(config)) {
            throw new JobFailure(config + " is missing: evaluate runs as a processing job");
        }
        for (JsonNode in : Json.MAPPER.readTree(config.toFile()).path("ProcessingInputs")) {
            String local = in.path("S3Input").path("LocalPath").asText(null);
            if (local != null) {
                out.put(in.path("InputName").asText(), Path.of(local));
            }
        }
        return out;
    }

    private static Path output(Path root) throws IOException {
        JsonNode outputs =
                Json.MAPPER
                        .readTree(root.resolve("config/processingjobconfig.json").toFile())
                        .path("ProcessingOutputConfig")
                        .path("Outputs");
        return outputs.isEmpty()
                ? root.resolve("processing/evaluation")
                : Path.of(outputs.get(0).path("S3Output").path("LocalPath").asText());
    }
}
