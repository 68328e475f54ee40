package dev.byoe.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.awt.image.BufferedImage;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import javax.imageio.ImageIO;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code byoe tune} with the shipped example (examples/tuning/tuning.json: the diabetes ensemble
 * over eta 0..1 and max_depth 1..10, 6 Bayesian trials, 2 at a time, 10 rounds), every trial a real
 * training job of the jar; the best model registered in a local registry only if it beats a
 * training job with the default eta and max_depth; then configs that SageMaker would reject or
 * whose regex never matches.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TuningIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path ROOT = Path.of(System.getProperty("byoe.root", ".."));
    private static final Path EXAMPLE = ROOT.resolve("examples/tuning/tuning.json");

    Path tmp;
    Path output;
    Path registry;
    double defaultRmse;
    Byoe.Result tuning;
    JsonNode summary;

    @BeforeAll
    void tuneTheExample(@TempDir Path tmp) throws Exception {
        this.tmp = tmp;
        JsonNode example = JSON.readTree(EXAMPLE.toFile());
        Map<String, String> statics =
                JSON.convertValue(
                        example.at("/TrainingJobDefinition/StaticHyperParameters"), Map.class);
        MlLayout defaults =
                new MlLayout(tmp.resolve("default"))
                        .hyperparameters(statics)
                        .channel("train", MlLayout.data("diabetes.csv"));
        Byoe.Result trained = Byoe.train(defaults);
        assertEquals(0, trained.exit(), trained.all());
        defaultRmse =
                JSON.readTree(defaults.model().resolve("manifest.json").toFile())
                        .at("/evaluation/ensemble/rmse")
                        .asDouble();

        output = tmp.resolve("tuning");
        registry = tmp.resolve("registry");
        tuning =
                Byoe.run(
                        Map.of(),
                        "tune",
                        "--config",
                        EXAMPLE.toAbsolutePath().toString(),
                        "--output",
                        output.toString(),
                        "--registry",
                        registry.toString(),
                        "--model-package-group",
                        "diabetes",
                        "--register-threshold",
                        Double.toString(defaultRmse));
        assertEquals(0, tuning.exit(), tuning.all());
        summary = JSON.readTree(output.resolve("summary.json").toFile());
    }

    @Test
    void findsAConfigurationNoWorseThanTheDefaultsAndRegistersIt() throws Exception {
        assertEquals("Completed", summary.get("HyperParameterTuningJobStatus").asText());
        assertEquals(6, summary.at("/TrainingJobStatusCounters/Completed").asInt(), tuning.all());
        double best =
                summary.at("/BestTrainingJob/FinalHyperParameterTuningJobObjectiveMetric/Value")
                        .asDouble();
        assertTrue(
                best <= defaultRmse,
                "best " + best + " vs default " + defaultRmse + "\n" + tuning.stdout());
        for (JsonNode job :
                JSON.readTree(output.resolve("training-jobs.json").toFile())
                        .get("TrainingJobSummaries")) {
            assertTrue(
                    best <= job.at("/FinalHyperParameterTuningJobObjectiveMetric/Value").asDouble(),
                    job.toString());
        }

        JsonNode p = JSON.readTree(registry.resolve("diabetes/1/model-package.json").toFile());
        assertEquals("PendingManualApproval", p.get("ModelApprovalStatus").asText());
        assertEquals(
                Double.toString(best),
                p.at("/CustomerMetadataProperties/metric:validation:rmse").asText());
        assertEquals(
                summary.at("/BestTrainingJob/TunedHyperParameters/eta").asText(),
                p.at("/CustomerMetadataProperties/eta").asText());
        assertEquals("target", p.at("/CustomerMetadataProperties/target_column").asText());
        Byoe.Result approve =
                Byoe.run(
                        Map.of(),
                        "registry",
                        "approve",
                        "--registry",
                        registry.toString(),
                        "--group",
                        "diabetes",
                        "--version",
                        "1",
                        "--note",
                        "beats the defaults");
        assertEquals(0, approve.exit(), approve.all());
        Byoe.Result list =
                Byoe.run(Map.of("BYOE_REGISTRY", registry.toString()), "registry", "list");
        assertTrue(
                list.stdout()
                        .lines()
                        .anyMatch(l -> l.startsWith("diabetes ") && l.contains(" Approved ")),
                list.all());
    }

    @Test
    void eachTrialIsARealTrainingJobReadWithTheUsersRegexLatestValueWinning() throws Exception {
        List<String> rows = Files.readAllLines(output.resolve("trials.csv"));
        assertEquals(
                "trial,training_job,max_depth,eta,validation:rmse,status,seconds,failure_reason",
                rows.getFirst());
        assertEquals(7, rows.size(), String.join("\n", rows));
        Pattern regex =
                Pattern.compile(
                        JSON.readTree(EXAMPLE.toFile())
                                .at(
                                        "/TrainingJobDefinition/AlgorithmSpecification/MetricDefinitions/0/Regex")
                                .asText());
        for (String row : rows.subList(1, rows.size())) {
            String[] c = row.split(",");
            Path trial = output.resolve("trials").resolve(c[1]);
            JsonNode hp =
                    JSON.readTree(trial.resolve("input/config/hyperparameters.json").toFile());
            hp.properties()
                    .forEach(
                            e ->
                                    assertTrue(
                                            e.getValue().isTextual(),
                                            "hyperparameters are strings: " + hp));
            assertEquals("validation:rmse", hp.get("_tuning_objective_metric").asText());
            assertEquals(c[2], hp.get("max_depth").asText());
            int depth = Integer.parseInt(c[2]);
            double eta = Double.parseDouble(c[3]);
            assertTrue(depth >= 1 && depth <= 10 && eta > 0 && eta <= 1, row);
            JsonNode manifest = JSON.readTree(trial.resolve("model/manifest.json").toFile());
            assertEquals(eta, manifest.at("/members/0/hyperparameters/eta").asDouble(), 1e-12, row);
            // The last match in the trial's own log is the objective, and it is the model's own
            // figure.
            Matcher m = regex.matcher(Files.readString(trial.resolve("output/trial.log")));
            String last = null;
            while (m.find()) {
                last = m.group(1);
            }
            assertEquals(Double.parseDouble(last), Double.parseDouble(c[4]), 0, row);
            assertEquals(
                    manifest.at("/evaluation/ensemble/rmse").asDouble(),
                    Double.parseDouble(c[4]),
                    1e-6,
                    row);
            assertEquals("Completed", c[5]);
        }
    }

    @Test
    void packsTheBestTrialsModelAndDrawsTheChart() throws Exception {
        String bestName = summary.at("/BestTrainingJob/TrainingJobName").asText();
        Map<String, byte[]> entries = new HashMap<>();
        try (InputStream in = Files.newInputStream(output.resolve("best/model.tar.gz"));
                TarArchiveInputStream tar = new TarArchiveInputStream(new GZIPInputStream(in))) {
            TarArchiveEntry e;
            while ((e = tar.getNextTarEntry()) != null) {
                entries.put(e.getName(), tar.readAllBytes());
            }
        }
        assertEquals(
                java.util.Set.of(
                        "manifest.json",
                        "members/xgboost/model.ubj",
                        "members/xgboost/categories.json",
                        "members/xgboost/trees.bin",
                        "members/catboost/model.cbm",
                        "members/catboost/trees.bin",
                        "checksums.sha256",
                        "checksums.crc32c"),
                entries.keySet());
        JsonNode manifest =
                JSON.readTree(new String(entries.get("manifest.json"), StandardCharsets.UTF_8));
        assertEquals(bestName, manifest.at("/data/training_job").asText());

        BufferedImage png = ImageIO.read(output.resolve("objective.png").toFile());
        // Three panels (trial, max_depth, eta) in two columns.
        assertEquals(840, png.getWidth());
        assertEquals(630, png.getHeight());
        assertTrue(tuning.stdout().contains("<- best"), tuning.stdout());
    }

    @Test
    void aRegexThatNeverMatchesFailsTheTuningJobAfterItsFirstTrials() throws Exception {
        ObjectNode config = (ObjectNode) JSON.readTree(EXAMPLE.toFile());
        // The trainer prints "validation-rmse:<v>;", not "validation_rmse=<v>". ("validation-rmse="
        // would match inside the member lines "xgboost-validation-rmse=<v>;": regexes are searched,
        // not anchored.)
        ((ObjectNode)
                        config.at(
                                "/TrainingJobDefinition/AlgorithmSpecification/MetricDefinitions/0"))
                .put("Regex", "validation_rmse=([0-9\\.]+)");
        config.put("HyperParameterTuningJobName", "wrong-regex");
        Path file = tmp.resolve("wrong-regex.json");
        JSON.writeValue(file.toFile(), config);
        Path out = tmp.resolve("wrong-regex");
        Byoe.Result r =
                Byoe.run(Map.of(), "tune", "--config", file.toString(), "--output", out.toString());
        assertEquals(1, r.exit(), r.all());
        assertTrue(
                r.stderr()
                        .contains(
                                "the objective metric 'validation:rmse' was never found: its regex "
                                        + "'validation_rmse=([0-9\\.]+)' matched no line of the training job's output"),
                r.stderr());
        assertTrue(
                Files.readString(out.resolve("failure"))
                        .contains("no further trials were started"));
        JsonNode s = JSON.readTree(out.resolve("summary.json").toFile());
        assertEquals("Failed", s.get("HyperParameterTuningJobStatus").asText());
        assertTrue(s.at("/TrainingJobStatusCounters/NonRetryableError").asInt() <= 2, s.toString());
        assertFalse(Files.exists(out.resolve("best/model.tar.gz")));
    }

    @Test
    void configErrorsAreRejectedBeforeAnyTrialRuns() throws Exception {
        ObjectNode config = (ObjectNode) JSON.readTree(EXAMPLE.toFile());
        ((ObjectNode) config.at("/HyperParameterTuningJobConfig/HyperParameterTuningJobObjective"))
                .put("MetricName", "validation:mse");
        ((ObjectNode)
                        config.at(
                                "/HyperParameterTuningJobConfig/ParameterRanges/ContinuousParameterRanges/0"))
                .put("ScalingType", "Logarithmic");
        Path file = tmp.resolve("bad.json");
        JSON.writeValue(file.toFile(), config);
        Path out = tmp.resolve("bad");
        Byoe.Result r =
                Byoe.run(Map.of(), "tune", "--config", file.toString(), "--output", out.toString());
        assertEquals(2, r.exit(), r.all());
        assertTrue(
                r.stderr()
                        .contains(
                                "A metric is required for this hyperparameter tuning job objective: "
                                        + "HyperParameterTuningJobObjective.MetricName 'validation:mse'"),
                r.stderr());
        assertTrue(
                r.stderr()
                        .contains(
                                "ContinuousParameterRanges[eta]: Logarithmic scaling needs MinValue > 0"),
                r.stderr());
        assertFalse(r.stderr().contains("Exception"), r.stderr());
        assertFalse(Files.exists(out), "nothing ran");
    }

    @Test
    void everyOutputFileHasItsApiShape() throws Exception {
        dev.byoe.jobs.api.ApiShapes api = dev.byoe.jobs.api.ApiShapes.bundled();
        // The request is echoed as sent: its channel's S3Uri is a local path, which local tuning
        // allows.
        List<String> summaryProblems =
                api.check("DescribeHyperParameterTuningJobResponse", summary);
        assertTrue(
                summaryProblems.stream().allMatch(dev.byoe.jobs.api.ApiShapes::isLocalS3Uri),
                summaryProblems.toString());
        assertEquals("Bayesian", summary.at("/HyperParameterTuningJobConfig/Strategy").asText());
        assertEquals(
                List.of(),
                api.check(
                        "ListTrainingJobsForHyperParameterTuningJobResponse",
                        JSON.readTree(output.resolve("training-jobs.json").toFile())));
        JsonNode best = JSON.readTree(output.resolve("best/training-job.json").toFile());
        List<String> bestProblems = api.check("DescribeTrainingJobResponse", best);
        // The one documented difference: the artifact is a local file, not an s3:// object.
        assertEquals(1, bestProblems.size(), bestProblems.toString());
        assertTrue(
                dev.byoe.jobs.api.ApiShapes.isLocalS3Uri(bestProblems.getFirst()),
                bestProblems.toString());
        assertTrue(
                Files.isRegularFile(
                        Path.of(
                                java.net.URI.create(
                                        best.at("/ModelArtifacts/S3ModelArtifacts").asText()))));
        JsonNode p = JSON.readTree(registry.resolve("diabetes/1/model-package.json").toFile());
        List<String> packageProblems = api.check("DescribeModelPackageOutput", p);
        assertTrue(
                packageProblems.stream().allMatch(dev.byoe.jobs.api.ApiShapes::isLocalS3Uri),
                packageProblems.toString());
    }

    @Test
    void theCloudTuningRequestIsValidApartFromItsS3Data() throws Exception {
        // Filled in as examples/aws-cli/fill does, with values of the right form.
        Path filled = tmp.resolve("tuning-job.json");
        Files.writeString(
                filled,
                Files.readString(ROOT.resolve("examples/aws-cli/tuning-job.json"))
                        .replace("ACCOUNT_ID", "111122223333")
                        .replace("REGION", "eu-west-1")
                        .replace("SAGEMAKER_ROLE", "SageMakerRole")
                        .replace("BUCKET", "amzn-s3-demo-bucket"));
        Byoe.Result r =
                Byoe.run(
                        Map.of(),
                        "tune",
                        "--config",
                        filled.toString(),
                        "--output",
                        tmp.resolve("cloud").toString());
        assertEquals(2, r.exit(), r.all());
        List<String> problems = r.stderr().lines().filter(l -> l.startsWith("  - ")).toList();
        assertEquals(1, problems.size(), r.stderr());
        assertTrue(
                problems.getFirst()
                        .contains(
                                "S3Uri 's3://amzn-s3-demo-bucket/byoe/diabetes/train/': local tuning reads local data"),
                problems.getFirst());
    }
}
