package dev.byoe.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedOutputStream;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Training under faults: SIGTERM mid-job (spot interruption) and a bad row deep inside a large
 * file.
 */
class TrainingFaultsIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path HDFS = MlLayout.data("hdfs");

    @Test
    void sigtermSavesDeepLogsCheckpointAndTheFailureSaysItWasStopped(@TempDir Path root)
            throws Exception {
        MlLayout job =
                new MlLayout(root)
                        .hyperparameters(
                                Map.of(
                                        "task",
                                        "log_anomaly",
                                        "members",
                                        "pca,deeplog",
                                        "deeplog.epochs",
                                        "500"))
                        .channel("train", HDFS.resolve("sessions-train.csv"));
        Process p =
                Byoe.command(Map.of("BYOE_ML_ROOT", root.toString()), "train")
                        .redirectErrorStream(true)
                        .start();
        StringBuilder output = new StringBuilder();
        try (BufferedReader r =
                new BufferedReader(
                        new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                output.append(line).append('\n');
                if (line.contains("deeplog-epoch=2;")) {
                    p.toHandle()
                            .destroy(); // SIGTERM, as StopTrainingJob or a spot interruption sends
                    // (Process.destroy would also close our end of the pipe)
                }
            }
        }
        assertTrue(p.waitFor(120, TimeUnit.SECONDS));
        assertNotEquals(0, p.exitValue(), output.toString());
        String failure = Files.readString(root.resolve("output/failure"));
        assertTrue(
                failure.contains("stopped (SIGTERM)") && failure.contains("deeplog epoch"),
                failure);
        assertTrue(failure.contains("resumes at epoch"), failure);
        JsonNode state = JSON.readTree(root.resolve("checkpoints/deeplog-state.json").toFile());
        int saved = state.get("epoch").asInt();
        assertTrue(saved >= 2, "the checkpoint holds at least the finished epochs: " + state);
        assertTrue(!Files.exists(root.resolve("model/manifest.json")), "no half-written model");

        // The next job with the same checkpoint location goes on from there.
        job.hyperparameters(
                Map.of(
                        "task",
                        "log_anomaly",
                        "members",
                        "pca,deeplog",
                        "deeplog.epochs",
                        Integer.toString(saved + 1)));
        Byoe.Result resumed = Byoe.run(Map.of("BYOE_ML_ROOT", root.toString()), "train");
        assertEquals(0, resumed.exit(), resumed.all());
        assertTrue(
                resumed.stderr().contains("resuming from the checkpoint after epoch " + saved),
                resumed.all());
        assertTrue(Files.isRegularFile(root.resolve("model/manifest.json")));
    }

    /**
     * ~100 MB of CSV with one short row in the middle (the 1 GB case of the issue, scaled to test
     * time).
     */
    @Tag("slow")
    @Test
    void aBadRowInTheMiddleOfALargeFileFailsNamingFileAndLineOrIsSkippedAndCounted(
            @TempDir Path root) throws Exception {
        List<String> rows = Files.readAllLines(MlLayout.data("diabetes.csv"));
        Path big = Files.createDirectories(root.resolve("data")).resolve("big.csv");
        long rowsWritten = 0;
        long badLine = -1;
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(big), 1 << 20)) {
            out.write((rows.getFirst() + "\n").getBytes(StandardCharsets.UTF_8));
            long target = 100L << 20;
            long written = 0;
            int i = 0;
            while (written < target) {
                String row = rows.get(1 + (i++ % (rows.size() - 1))) + "\n";
                if (badLine < 0 && written >= target / 2) {
                    row = "59,2,32.1\n"; // a row cut short
                    badLine = rowsWritten + 2;
                }
                byte[] b = row.getBytes(StandardCharsets.UTF_8);
                out.write(b);
                written += b.length;
                rowsWritten++;
            }
        }
        MlLayout job =
                new MlLayout(root.resolve("ml"))
                        .hyperparameters(
                                Map.of(
                                        "target_column",
                                        "target",
                                        "num_round",
                                        "5",
                                        "members",
                                        "xgboost",
                                        "k_fold",
                                        "2"))
                        .channel("train", big);
        long start = System.nanoTime();
        Byoe.Result failed = Byoe.train(job);
        double seconds = (System.nanoTime() - start) / 1e9;
        assertEquals(1, failed.exit(), failed.all());
        String failure = Files.readString(job.root.resolve("output/failure"));
        assertTrue(
                failure.contains("big.csv line " + badLine + " has 3 fields; expected 11"),
                failure);
        assertTrue(
                failure.contains("bad_rows=skip"),
                "the message says how to skip instead: " + failure);

        job.hyperparameters(
                Map.of(
                        "target_column",
                        "target",
                        "num_round",
                        "5",
                        "members",
                        "xgboost",
                        "k_fold",
                        "2",
                        "bad_rows",
                        "skip"));
        Byoe.Result skipped = Byoe.train(job);
        assertEquals(0, skipped.exit(), skipped.all());
        assertTrue(
                skipped.stderr()
                                .contains(
                                        "skipped 1 unusable rows in channel 'train' (bad_rows=skip); first: ")
                        && skipped.stderr().contains("big.csv line " + badLine),
                skipped.all());
        JsonNode train =
                JSON.readTree(job.root.resolve("model/manifest.json").toFile()).at("/data/train");
        assertEquals(1, train.get("skipped_rows").asInt(), train.toString());
        assertEquals(rowsWritten - 1, train.get("rows").asLong(), train.toString());
        assertTrue(seconds < 120, "failing took " + seconds + " s");
    }
}
