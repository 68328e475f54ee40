package dev.byoe.jobs.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ModelRegistryTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir Path tmp;

    private Path modelFolder() throws Exception {
        Path model = Files.createDirectories(tmp.resolve("model/members/xgboost"));
        Files.writeString(model.resolve("model.ubj"), "{ubj}");
        Files.writeString(
                tmp.resolve("model/manifest.json"),
                """
                {"evaluation": {"ensemble": {"rmse": 57.5, "r2": 0.44}}, "hyperparameters": {"eta": "0.3", "max_depth": "3"}}""");
        return tmp.resolve("model");
    }

    private ModelRegistry.Registration registration(Path model) {
        return new ModelRegistry.Registration(
                "diabetes",
                model,
                Map.of("validation:rmse", 57.5),
                Map.of("eta", "0.3"),
                "byoe:1",
                List.of("text/csv"),
                List.of("text/csv", "application/json"),
                ApprovalStatus.PendingManualApproval,
                null);
    }

    @Test
    void versionsIncreaseAndEachPackageIsAPlainFileShapedLikeDescribeModelPackage()
            throws Exception {
        ModelRegistry registry = new ModelRegistry(tmp.resolve("registry"));
        Path model = modelFolder();
        assertEquals(1, registry.register(registration(model)).get("ModelPackageVersion").asInt());
        assertEquals(2, registry.register(registration(model)).get("ModelPackageVersion").asInt());

        JsonNode p = JSON.readTree(tmp.resolve("registry/diabetes/2/model-package.json").toFile());
        assertEquals("diabetes", p.get("ModelPackageGroupName").asText());
        assertEquals("PendingManualApproval", p.get("ModelApprovalStatus").asText());
        assertEquals("byoe:1", p.at("/InferenceSpecification/Containers/0/Image").asText());
        assertEquals(
                "[\"text/csv\",\"application/json\"]",
                p.at("/InferenceSpecification/SupportedResponseMIMETypes").toString());
        assertEquals("0.3", p.at("/CustomerMetadataProperties/eta").asText());
        Path metrics =
                Path.of(URI.create(p.at("/ModelMetrics/ModelQuality/Statistics/S3Uri").asText()));
        assertEquals(
                57.5,
                JSON.readTree(metrics.toFile()).at("/metrics/validation:rmse/value").asDouble());
        assertTrue(Files.exists(tmp.resolve("registry/diabetes/group.json")));

        // The archive is a real tar.gz with the model's files at its root, as SageMaker unpacks
        // into /opt/ml/model.
        Path archive =
                Path.of(
                        URI.create(
                                p.at("/InferenceSpecification/Containers/0/ModelDataUrl")
                                        .asText()));
        Map<String, String> entries = new LinkedHashMap<>();
        try (InputStream in = Files.newInputStream(archive);
                TarArchiveInputStream tar = new TarArchiveInputStream(new GZIPInputStream(in))) {
            TarArchiveEntry e;
            while ((e = tar.getNextTarEntry()) != null) {
                entries.put(e.getName(), new String(tar.readAllBytes(), StandardCharsets.UTF_8));
            }
        }
        assertEquals(
                List.of("manifest.json", "members/xgboost/model.ubj"),
                List.copyOf(entries.keySet()));
        assertEquals("{ubj}", entries.get("members/xgboost/model.ubj"));
        assertEquals(
                List.of(1, 2),
                registry.list("diabetes").stream()
                        .map(n -> n.get("ModelPackageVersion").asInt())
                        .toList());
    }

    @Test
    void approvalChangesAreRecordedWithTheirTimeAndNonsenseTransitionsAreRefused()
            throws Exception {
        ModelRegistry registry = new ModelRegistry(tmp.resolve("registry"));
        registry.register(registration(modelFolder()));
        registry.updateApproval("diabetes", 1, ApprovalStatus.Approved, "beats production");
        IllegalArgumentException twice =
                assertThrows(
                        IllegalArgumentException.class,
                        () ->
                                registry.updateApproval(
                                        "diabetes", 1, ApprovalStatus.Approved, null));
        assertEquals("model package diabetes/1 is already Approved", twice.getMessage());
        assertThrows(
                IllegalArgumentException.class,
                () ->
                        registry.updateApproval(
                                "diabetes", 1, ApprovalStatus.PendingManualApproval, null));
        ObjectNode p = registry.updateApproval("diabetes", 1, ApprovalStatus.Rejected, "drift");

        JsonNode onDisk =
                JSON.readTree(tmp.resolve("registry/diabetes/1/model-package.json").toFile());
        assertEquals(p, onDisk);
        assertEquals("Rejected", onDisk.get("ModelApprovalStatus").asText());
        assertEquals(
                "drift",
                onDisk.get("ApprovalDescription").asText(),
                "the latest note, where the API keeps it");
        JsonNode history = registry.history("diabetes", 1);
        assertEquals(3, history.size());
        assertEquals(
                List.of("PendingManualApproval", "Approved", "Rejected"),
                List.of(
                        history.get(0).get("ModelApprovalStatus").asText(),
                        history.get(1).get("ModelApprovalStatus").asText(),
                        history.get(2).get("ModelApprovalStatus").asText()));
        assertEquals("beats production", history.get(1).get("ApprovalDescription").asText());
        assertTrue(
                !java.time.Instant.parse(history.get(2).get("Time").asText())
                        .isBefore(java.time.Instant.parse(history.get(0).get("Time").asText())),
                history.toString());
        assertEquals(history.get(2).get("Time"), onDisk.get("LastModifiedTime"));
        IllegalArgumentException missing =
                assertThrows(
                        IllegalArgumentException.class, () -> registry.describe("diabetes", 7));
        assertTrue(
                missing.getMessage().contains("no model package diabetes/7")
                        && missing.getMessage().contains("versions: [1]"),
                missing.getMessage());
    }

    @Test
    void theCommandReadsMetricsAndHyperparametersFromAByoeModelFolder() throws Exception {
        Path model = modelFolder();
        String registry = tmp.resolve("reg").toString();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
        assertEquals(
                0,
                registry(
                        o,
                        e,
                        new String[] {
                            "register",
                            "--registry",
                            registry,
                            "--group",
                            "diab",
                            "--model",
                            model.toString()
                        }),
                err.toString());
        assertEquals(
                0,
                registry(
                        o,
                        e,
                        new String[] {
                            "approve", "--registry", registry, "--group", "diab", "--version", "1"
                        }),
                err.toString());
        assertEquals(0, registry(o, e, new String[] {"list", "--registry", registry}));
        String listing = out.toString(StandardCharsets.UTF_8);
        assertTrue(listing.contains("registered diab/1 (PendingManualApproval)"), listing);
        assertTrue(listing.contains("diab/1 is now Approved"), listing);
        assertTrue(
                listing.lines()
                        .anyMatch(
                                l ->
                                        l.startsWith("diab ")
                                                && l.contains("Approved")
                                                && l.contains("validation:rmse=57.5")),
                listing);
        JsonNode p = new ModelRegistry(Path.of(registry)).describe("diab", 1);
        assertEquals("3", p.at("/CustomerMetadataProperties/max_depth").asText());
        assertEquals(
                RegistryCommand.CONTENT_TYPES,
                JSON.convertValue(
                        p.at("/InferenceSpecification/SupportedContentTypes"), List.class));
        assertEquals(
                RegistryCommand.RESPONSE_TYPES,
                JSON.convertValue(
                        p.at("/InferenceSpecification/SupportedResponseMIMETypes"), List.class));

        assertEquals(
                2,
                registry(
                        o,
                        e,
                        new String[] {
                            "register",
                            "--registry",
                            registry,
                            "--group",
                            "bad_name",
                            "--model",
                            model.toString()
                        }));
        assertTrue(err.toString().contains("model package group name 'bad_name'"), err.toString());
    }

    /**
     * Runs {@code byoe registry} with its output and errors going to {@code out} and {@code err}.
     */
    private static int registry(PrintStream out, PrintStream err, String... args) {
        return new CommandLine(new RegistryCommand())
                .setOut(new PrintWriter(out, true))
                .setErr(new PrintWriter(err, true))
                .execute(args);
    }
}
