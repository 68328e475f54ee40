package dev.byoe.app;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shapes training input comes in on SageMaker, and how the job behaves around them. */
class TrainingInputsIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir Path tmp;

    private static List<String> diabetes() throws Exception {
        return Files.readAllLines(MlLayout.data("diabetes.csv"));
    }

    private static byte[] gzip(String text) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputStream out = new GZIPOutputStream(bytes)) {
            out.write(text.getBytes(StandardCharsets.UTF_8));
        }
        return bytes.toByteArray();
    }

    @Test
    void manyFilesSomeGzippedEachWithItsOwnHeader() throws Exception {
        List<String> lines = diabetes();
        String header = lines.getFirst();
        String part1 = header + "\n" + String.join("\n", lines.subList(1, 201)) + "\n";
        String part2 =
                header + "\r\n" + String.join("\r\n", lines.subList(201, lines.size())) + "\r\n";
        MlLayout ml =
                new MlLayout(tmp)
                        .hyperparameters(
                                Map.of("target_column", "target", "k_fold", "3", "num_round", "30"))
                        .channel(
                                "train",
                                Map.of(
                                        "2026/part-1.csv",
                                        part1.getBytes(),
                                        "2026/part-2.csv.gz",
                                        gzip(part2)));
        Byoe.Result r = Byoe.train(ml);
        assertEquals(0, r.exit(), r.all());
        JsonNode m = JSON.readTree(ml.model().resolve("manifest.json").toFile());
        assertEquals(442, m.at("/data/train/rows").asInt());
        assertEquals(200, m.at("/data/train/files/0/rows").asInt());
        assertEquals(242, m.at("/data/train/files/1/rows").asInt());
        assertEquals("train/2026/part-2.csv.gz", m.at("/data/train/files/1/name").asText());
        assertEquals(gzip(part2).length, m.at("/data/train/files/1/bytes").asLong());
    }

    @Test
    void headerlessDataWithTheLabelFirstAsSageMakerBuiltInsExpect() throws Exception {
        StringBuilder csv = new StringBuilder();
        for (String line : diabetes().subList(1, 443)) {
            int cut = line.lastIndexOf(',');
            csv.append(line.substring(cut + 1)).append(',').append(line, 0, cut).append('\n');
        }
        MlLayout ml =
                new MlLayout(tmp)
                        .hyperparameters(Map.of("k_fold", "3", "num_round", "30"))
                        .channel("train", Map.of("train.csv", csv.toString().getBytes()));
        Byoe.Result r = Byoe.train(ml);
        assertEquals(0, r.exit(), r.all());
        JsonNode m = JSON.readTree(ml.model().resolve("manifest.json").toFile());
        assertEquals("column_0", m.at("/target/name").asText());
        assertEquals("column_1", m.at("/features/0/name").asText());
        assertEquals(10, m.get("features").size());
        assertTrue(
                m.at("/evaluation/ensemble/rmse").asDouble() < 70, m.get("evaluation").toString());
    }

    @Test
    void pipeModeReadsTheFifo() throws Exception {
        MlLayout ml =
                new MlLayout(tmp)
                        .hyperparameters(
                                Map.of("target_column", "-1", "k_fold", "3", "num_round", "30"));
        Thread writer = ml.pipe("train", gzip(String.join("\n", diabetes()) + "\n"));
        Byoe.Result r = Byoe.train(ml);
        writer.join(10_000);
        assertEquals(0, r.exit(), r.all());
        JsonNode m = JSON.readTree(ml.model().resolve("manifest.json").toFile());
        assertEquals(442, m.at("/data/train/rows").asInt());
        assertEquals("train_0", m.at("/data/train/files/0/name").asText());
    }

    @Test
    void multiclassWithTextLabelsEndToEnd() throws Exception {
        StringBuilder csv = new StringBuilder("age,sex,bmi,bp,s1,s2,s3,s4,s5,s6,risk\n");
        for (String line : diabetes().subList(1, 443)) {
            int cut = line.lastIndexOf(',');
            double target = Double.parseDouble(line.substring(cut + 1));
            csv.append(line, 0, cut)
                    .append(',')
                    .append(target < 100 ? "low" : target < 200 ? "medium" : "high")
                    .append('\n');
        }
        MlLayout ml =
                new MlLayout(tmp)
                        .hyperparameters(
                                Map.of(
                                        "objective",
                                        "multiclass",
                                        "target_column",
                                        "risk",
                                        "k_fold",
                                        "3",
                                        "num_round",
                                        "40"))
                        .channel("train", Map.of("risk.csv", csv.toString().getBytes()));
        Byoe.Result r = Byoe.train(ml);
        assertEquals(0, r.exit(), r.all());
        assertEquals(
                1,
                DiabetesEndToEndIT.captures(
                                java.util.regex.Pattern.compile("validation-accuracy:([0-9\\.]+);"),
                                r.all())
                        .size());
        assertEquals(
                1,
                DiabetesEndToEndIT.captures(
                                java.util.regex.Pattern.compile("validation-mlogloss:([0-9\\.]+);"),
                                r.all())
                        .size());
        JsonNode m = JSON.readTree(ml.model().resolve("manifest.json").toFile());
        assertEquals("[\"high\",\"low\",\"medium\"]", m.at("/target/classes").toString());
        assertTrue(
                m.at("/evaluation/ensemble/accuracy").asDouble() > 0.5,
                m.get("evaluation").toString());
        try (Served served = Served.start(ml.root, Map.of())) {
            HttpResponse<String> resp =
                    served.post(
                            "59,2,32.1,101.0,157,93.2,38.0,4.0,4.8598,87\n"
                                    + "22,1,19.0,70,160,90,60,2,3.5,80",
                            "Content-Type",
                            "text/csv");
            assertEquals(200, resp.statusCode(), resp.body());
            for (String line : resp.body().strip().split("\n")) {
                String[] cells = line.split(",");
                assertEquals(4, cells.length, line);
                assertTrue(List.of("low", "medium", "high").contains(cells[0]), line);
                double sum =
                        Double.parseDouble(cells[1])
                                + Double.parseDouble(cells[2])
                                + Double.parseDouble(cells[3]);
                // XGBoost's probabilities are 32-bit floats.
                assertEquals(1.0, sum, 1e-6);
            }
        }
    }

    @Test
    void sameSeedSameModel() throws Exception {
        List<byte[]> xgb = new ArrayList<>();
        List<String> answers = new ArrayList<>();
        for (int run = 0; run < 2; run++) {
            MlLayout ml =
                    new MlLayout(tmp.resolve("run" + run))
                            .hyperparameters(
                                    Map.of(
                                            "target_column",
                                            "target",
                                            "k_fold",
                                            "2",
                                            "num_round",
                                            "30",
                                            "seed",
                                            "7"))
                            .channel("train", MlLayout.data("diabetes.csv"));
            Byoe.Result r = Byoe.train(ml);
            assertEquals(0, r.exit(), r.all());
            xgb.add(Files.readAllBytes(ml.model().resolve("members/xgboost/model.ubj")));
            answers.add(r.stdout());
        }
        assertArrayEquals(xgb.get(0), xgb.get(1));
        assertEquals(answers.get(0), answers.get(1), "same metrics, member by member");
    }

    @Test
    void anIdLikeColumnNeitherLeaksTheLabelNorGoesUnmentioned() throws Exception {
        List<String> lines = Files.readAllLines(MlLayout.data("cal_housing/train.csv"));
        StringBuilder withId = new StringBuilder(lines.getFirst() + ",rowid\n");
        for (int i = 1; i < lines.size(); i++) {
            withId.append(lines.get(i)).append(String.format(",c%05d%n", i));
        }
        Map<String, Double> r2 = new java.util.HashMap<>();
        for (boolean id : List.of(false, true)) {
            MlLayout ml =
                    new MlLayout(tmp.resolve("id-" + id))
                            .hyperparameters(
                                    Map.of("target_column", "medianHouseValue", "num_round", "60"))
                            .channel(
                                    "train",
                                    Map.of(
                                            "train.csv",
                                            (id
                                                            ? withId.toString()
                                                            : String.join("\n", lines) + "\n")
                                                    .getBytes()));
            Byoe.Result r = Byoe.train(ml);
            assertEquals(0, r.exit(), r.all());
            java.util.regex.Matcher m =
                    java.util.regex.Pattern.compile("xgboost-validation-r2=([-0-9.]+)")
                            .matcher(r.stdout());
            assertTrue(m.find(), r.stdout());
            r2.put(id ? "id" : "plain", Double.parseDouble(m.group(1)));
            JsonNode warnings =
                    JSON.readTree(ml.model().resolve("manifest.json").toFile())
                            .at("/data/warnings");
            assertEquals(
                    id,
                    warnings.isArray() && warnings.toString().contains("'rowid'"),
                    warnings.toString());
            assertEquals(
                    id,
                    r.stderr()
                            .contains(
                                    "warning: column 'rowid' has 600 distinct values in 600 rows"),
                    r.stderr());
        }
        // Categories numbered by their mean label on the fitted rows gave each row its own label
        // here (cross-validated r2 far below zero); out-of-fold values leave the column nothing to
        // leak.
        assertTrue(
                r2.get("id") > r2.get("plain") - 0.05,
                "an id column costs at most 0.05 of r2: " + r2);
    }

    @Test
    void sigtermDuringTrainingLeavesAFailureFile() throws Exception {
        // A Pipe-mode FIFO nobody writes to keeps the job waiting for data until it is stopped.
        MlLayout ml = new MlLayout(tmp).hyperparameters(Map.of());
        ml.declare("train", "Pipe");
        Path fifo = ml.root.resolve("input/data/train_0");
        assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor());
        Process p =
                Byoe.command(Map.of("BYOE_ML_ROOT", ml.root.toString()), "train")
                        .redirectErrorStream(true)
                        .redirectOutput(tmp.resolve("log.txt").toFile())
                        .start();
        Thread.sleep(1500);
        p.destroy(); // SIGTERM
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertNotEquals(0, p.exitValue());
        String failure = Files.readString(ml.failure());
        assertTrue(failure.contains("stopped (SIGTERM)"), failure);
    }
}
