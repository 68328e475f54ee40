package dev.byoe.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Parquet through every job that reads data: training channels (File and Pipe mode, several files,
 * the codecs writers use by default) give the model the same CSV rows give, the endpoint answers a
 * Parquet body (batch transform's whole-file request) row for row, and the monitor profiles a
 * Parquet dataset as it profiles the CSV one. The Parquet files are written by Apache's writer.
 */
class ParquetIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir Path tmp;

    private MlLayout layout(String name, Map<String, String> hyperparameters) throws Exception {
        return new MlLayout(Files.createDirectories(tmp.resolve(name)))
                .hyperparameters(hyperparameters);
    }

    private static JsonNode manifest(MlLayout ml) throws Exception {
        return JSON.readTree(ml.model().resolve("manifest.json").toFile());
    }

    /** The header and rows of a CSV fixture, split at commas (the fixtures quote nothing). */
    private static List<String[]> rows(List<String> lines) {
        List<String[]> rows = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            rows.add(line.split(",", -1));
        }
        return rows;
    }

    private static void assertSameModel(MlLayout csv, MlLayout parquet, int rows) throws Exception {
        JsonNode reference = manifest(csv);
        JsonNode m = manifest(parquet);
        assertEquals(reference.get("features"), m.get("features"));
        assertEquals(reference.get("target"), m.get("target"));
        assertEquals(rows, m.at("/data/train/rows").asInt());
        assertEquals("application/x-parquet", m.at("/data/train/content_type").asText());
        assertEquals(reference.at("/evaluation/ensemble"), m.at("/evaluation/ensemble"));
    }

    @Test
    void calHousingFromParquetFilesAndPipeTrainsTheModelCsvTrains() throws Exception {
        Map<String, String> hp =
                Map.of(
                        "objective", "regression",
                        "target_column", "medianHouseValue",
                        "k_fold", "3",
                        "num_round", "30");
        Path trainCsv = MlLayout.data("cal_housing/train.csv");
        List<String> lines = Files.readAllLines(trainCsv);
        List<String> header = List.of(lines.getFirst().split(","));
        List<String[]> all = rows(lines);
        MlLayout csv =
                layout("csv", hp)
                        .channel("train", Map.of("train.csv", Files.readAllBytes(trainCsv)));
        // Two part files as Spark writes them (beside its empty _SUCCESS marker), with different
        // codecs, and columns in another order.
        List<String> reordered = new ArrayList<>(header);
        Collections.reverse(reordered);
        List<String[]> reversedRows = new ArrayList<>();
        for (String[] row : all.subList(300, all.size())) {
            String[] r = row.clone();
            Collections.reverse(Arrays.asList(r));
            reversedRows.add(r);
        }
        MlLayout files =
                layout("parquet", hp)
                        .channel(
                                "train",
                                Map.of(
                                        "part-00000.snappy.parquet",
                                        ParquetFiles.write(
                                                header,
                                                all.subList(0, 300),
                                                CompressionCodecName.SNAPPY),
                                        "part-00001.gz.parquet",
                                        ParquetFiles.write(
                                                reordered, reversedRows, CompressionCodecName.GZIP),
                                        "_SUCCESS",
                                        new byte[0]));
        files.channelSetting("train", "ContentType", "application/x-parquet");
        MlLayout pipe = layout("pipe", hp);
        Thread writer =
                pipe.pipe("train", ParquetFiles.write(header, all, CompressionCodecName.ZSTD));
        pipe.channelSetting("train", "ContentType", "application/x-parquet");
        for (MlLayout ml : List.of(csv, files, pipe)) {
            Byoe.Result r = Byoe.train(ml);
            assertEquals(0, r.exit(), r.all());
        }
        writer.join(10_000);
        assertEquals(
                "categorical",
                manifest(files).at("/features/8/kind").asText(),
                "region is a string column");
        assertSameModel(csv, files, all.size());
        assertSameModel(csv, pipe, all.size());
        assertEquals("train_0", manifest(pipe).at("/data/train/files/0/name").asText());

        // A batch-transform body: the holdout as one Parquet file, the label still in it and the
        // columns in another order. Every row is answered, in order, as its CSV twin.
        List<String> holdout = Files.readAllLines(MlLayout.data("cal_housing/holdout.csv"));
        List<String[]> holdoutRows = rows(holdout);
        StringBuilder features = new StringBuilder();
        int label = header.indexOf("medianHouseValue");
        for (String[] row : holdoutRows) {
            List<String> cells = new ArrayList<>(Arrays.asList(row));
            cells.remove(label);
            features.append(String.join(",", cells)).append('\n');
        }
        List<String[]> reversedHoldout = new ArrayList<>();
        for (String[] row : holdoutRows) {
            String[] r = row.clone();
            Collections.reverse(Arrays.asList(r));
            reversedHoldout.add(r);
        }
        byte[] body = ParquetFiles.write(reordered, reversedHoldout, CompressionCodecName.SNAPPY);
        try (Served s = Served.start(files.root, Map.of())) {
            HttpResponse<String> fromCsv = s.post(features.toString(), "Content-Type", "text/csv");
            assertEquals(200, fromCsv.statusCode(), fromCsv.body());
            HttpResponse<String> fromParquet =
                    s.post(body, "Content-Type", "application/x-parquet");
            assertEquals(200, fromParquet.statusCode(), fromParquet.body());
            assertEquals("text/csv", fromParquet.headers().firstValue("Content-Type").orElse(""));
            assertEquals(holdoutRows.size(), fromParquet.body().lines().count());
            assertEquals(fromCsv.body(), fromParquet.body());

            HttpResponse<String> json =
                    s.post(
                            body,
                            "Content-Type",
                            "application/x-parquet",
                            "Accept",
                            "application/jsonlines");
            assertEquals(holdoutRows.size(), json.body().lines().count(), json.body());

            // A cut-off file and a file without the model's features are refused by name.
            byte[] truncated = Arrays.copyOf(body, body.length - 10);
            HttpResponse<String> cut = s.post(truncated, "Content-Type", "application/x-parquet");
            assertEquals(400, cut.statusCode(), cut.body());
            assertTrue(cut.body().contains("truncated"), cut.body());
            byte[] partial =
                    ParquetFiles.write(
                            List.of("longitude", "latitude"),
                            List.<String[]>of(new String[] {"-121.9", "36.9"}),
                            CompressionCodecName.SNAPPY);
            HttpResponse<String> missing = s.post(partial, "Content-Type", "application/x-parquet");
            assertEquals(400, missing.statusCode(), missing.body());
            assertTrue(missing.body().contains("medianIncome"), missing.body());
            HttpResponse<String> asAnswer =
                    s.post(
                            features.toString(),
                            "Content-Type",
                            "text/csv",
                            "Accept",
                            "application/x-parquet");
            assertEquals(406, asAnswer.statusCode(), asAnswer.body());
        }
    }

    /** Train from Parquet, then batch-transform a Parquet object, in a SageMaker pipeline. */
    private static final String PIPELINE =
            """
            {"Version": "2020-12-01", "Parameters": [], "Steps": [
              {"Name": "Train", "Type": "Training", "Arguments": {
                "AlgorithmSpecification": {"TrainingImage": "111122223333.dkr.ecr.us-east-1.amazonaws.com/byoe:latest",
                  "TrainingInputMode": "File"},
                "RoleArn": "arn:aws:iam::111122223333:role/SageMakerRole",
                "HyperParameters": {"objective": "regression", "target_column": "medianHouseValue",
                  "k_fold": "3", "num_round": "30"},
                "InputDataConfig": [{"ChannelName": "train", "ContentType": "application/x-parquet",
                  "DataSource": {"S3DataSource": {"S3DataType": "S3Prefix",
                    "S3Uri": "s3://amzn-s3-demo-bucket/pq/train/", "S3DataDistributionType": "FullyReplicated"}}}],
                "OutputDataConfig": {"S3OutputPath": "s3://amzn-s3-demo-bucket/pq/models"},
                "ResourceConfig": {"InstanceType": "ml.m5.large", "InstanceCount": 1, "VolumeSizeInGB": 10},
                "StoppingCondition": {"MaxRuntimeInSeconds": 3600}}},
              {"Name": "NewModel", "Type": "Model", "Arguments": {
                "ExecutionRoleArn": "arn:aws:iam::111122223333:role/SageMakerRole",
                "PrimaryContainer": {"Image": "111122223333.dkr.ecr.us-east-1.amazonaws.com/byoe:latest",
                  "ModelDataUrl": {"Get": "Steps.Train.ModelArtifacts.S3ModelArtifacts"}}}},
              {"Name": "Score", "Type": "Transform", "Arguments": {
                "ModelName": {"Get": "Steps.NewModel.ModelName"},
                "TransformInput": {"ContentType": "application/x-parquet", "SplitType": "None",
                  "DataSource": {"S3DataSource": {"S3DataType": "S3Prefix",
                    "S3Uri": "s3://amzn-s3-demo-bucket/pq/holdout/"}}},
                "TransformOutput": {"S3OutputPath": "s3://amzn-s3-demo-bucket/pq/scored", "Accept": "text/csv"},
                "TransformResources": {"InstanceType": "ml.m5.large", "InstanceCount": 1}}},
              {"Name": "Evaluate", "Type": "Processing", "Arguments": {
                "ProcessingResources": {"ClusterConfig": {"InstanceCount": 1, "InstanceType": "ml.m5.large",
                  "VolumeSizeInGB": 10}},
                "AppSpecification": {"ImageUri": "111122223333.dkr.ecr.us-east-1.amazonaws.com/byoe:latest",
                  "ContainerArguments": ["evaluate"]},
                "RoleArn": "arn:aws:iam::111122223333:role/SageMakerRole",
                "ProcessingInputs": [
                  {"InputName": "model", "S3Input": {"S3Uri": {"Get": "Steps.Train.ModelArtifacts.S3ModelArtifacts"},
                    "LocalPath": "/opt/ml/processing/input/model", "S3DataType": "S3Prefix", "S3InputMode": "File"}},
                  {"InputName": "test", "S3Input": {"S3Uri": "s3://amzn-s3-demo-bucket/pq/holdout/",
                    "LocalPath": "/opt/ml/processing/input/test", "S3DataType": "S3Prefix", "S3InputMode": "File"}},
                  {"InputName": "predictions", "S3Input": {"S3Uri": {"Get": "Steps.Score.TransformOutput.S3OutputPath"},
                    "LocalPath": "/opt/ml/processing/input/predictions", "S3DataType": "S3Prefix", "S3InputMode": "File"}}],
                "ProcessingOutputConfig": {"Outputs": [{"OutputName": "evaluation", "S3Output": {
                  "S3Uri": "s3://amzn-s3-demo-bucket/pq/evaluation", "LocalPath": "/opt/ml/processing/evaluation",
                  "S3UploadMode": "EndOfJob"}}]}}}
            ]}
            """;

    @Test
    void aPipelineTrainsFromParquetAndBatchTransformsAParquetObjectRowForRow() throws Exception {
        Path root = tmp.resolve("pipeline");
        Path bucket = root.resolve("s3/amzn-s3-demo-bucket/pq");
        Files.createDirectories(bucket.resolve("train"));
        Files.createDirectories(bucket.resolve("holdout"));
        Files.write(
                bucket.resolve("train/part-0.parquet"),
                ParquetFiles.fromCsv(
                        MlLayout.data("cal_housing/train.csv"), CompressionCodecName.SNAPPY));
        Path holdoutCsv = MlLayout.data("cal_housing/holdout.csv");
        Files.write(
                bucket.resolve("holdout/holdout.parquet"),
                ParquetFiles.fromCsv(holdoutCsv, CompressionCodecName.SNAPPY));
        Path definition = tmp.resolve("parquet-pipeline.json");
        Files.writeString(definition, PIPELINE);
        Byoe.Result r = PipelinesIT.pipeline(root, definition);
        assertEquals(0, r.exit(), r.all());
        assertEquals(
                "Succeeded",
                PipelinesIT.lastExecution(root).path("PipelineExecutionStatus").asText());

        // One answer per row, in the file's order: the answers track the true values row by row,
        // which a shuffled or shifted output would not.
        List<String> holdout = Files.readAllLines(holdoutCsv);
        int label = List.of(holdout.getFirst().split(",")).indexOf("medianHouseValue");
        List<Path> outputs;
        try (var files = Files.walk(bucket.resolve("scored"))) {
            outputs = files.filter(f -> f.toString().endsWith("holdout.parquet.out")).toList();
        }
        assertEquals(1, outputs.size(), outputs.toString());
        List<String> answers = Files.readAllLines(outputs.getFirst());
        assertEquals(holdout.size() - 1, answers.size());
        double squared = 0;
        double mean = 0;
        for (int i = 0; i < answers.size(); i++) {
            mean += Double.parseDouble(holdout.get(i + 1).split(",")[label]) / answers.size();
        }
        double variance = 0;
        for (int i = 0; i < answers.size(); i++) {
            double truth = Double.parseDouble(holdout.get(i + 1).split(",")[label]);
            double error = Double.parseDouble(answers.get(i)) - truth;
            squared += error * error;
            variance += (truth - mean) * (truth - mean);
        }
        double r2 = 1 - squared / variance;
        assertTrue(r2 > 0.5, "R^2 of the answers in file order: " + r2);

        // The evaluate job read the same Parquet held-out set in-process and found the batch
        // transform's answers equal to the model's, row for row.
        JsonNode evaluation = JSON.readTree(bucket.resolve("evaluation/evaluation.json").toFile());
        assertEquals(holdout.size() - 1, evaluation.get("rows").asInt());
        assertEquals(holdout.size() - 1, evaluation.at("/transform/rows").asInt());
        assertTrue(
                evaluation.at("/transform/max_abs_difference").asDouble() < 0.01,
                evaluation.toString());
    }

    @Test
    void adultFromParquetTrainsTheModelCsvTrains() throws Exception {
        Map<String, String> hp =
                Map.of(
                        "objective", "binary",
                        "target_column", "label",
                        "k_fold", "3",
                        "num_round", "30");
        Path adult = MlLayout.data("adult-sample.csv");
        List<String> lines = Files.readAllLines(adult);
        MlLayout csv =
                layout("csv", hp).channel("train", Map.of("adult.csv", Files.readAllBytes(adult)));
        MlLayout parquet =
                layout("parquet", hp)
                        .channel(
                                "train",
                                Map.of(
                                        "adult.parquet",
                                        ParquetFiles.fromCsv(adult, CompressionCodecName.SNAPPY)));
        parquet.channelSetting("train", "ContentType", "application/vnd.apache.parquet");
        for (MlLayout ml : List.of(csv, parquet)) {
            Byoe.Result r = Byoe.train(ml);
            assertEquals(0, r.exit(), r.all());
        }
        assertSameModel(csv, parquet, lines.size() - 1);
        assertEquals("categorical", manifest(parquet).at("/features/1/kind").asText());
    }

    @Test
    void aTruncatedParquetFileEndsTheJobNamingIt() throws Exception {
        byte[] whole =
                ParquetFiles.fromCsv(
                        MlLayout.data("cal_housing/train.csv"), CompressionCodecName.SNAPPY);
        MlLayout ml =
                layout(
                                "truncated",
                                Map.of(
                                        "objective",
                                        "regression",
                                        "target_column",
                                        "medianHouseValue"))
                        .channel(
                                "train",
                                Map.of("part-0.parquet", Arrays.copyOf(whole, whole.length / 2)));
        ml.channelSetting("train", "ContentType", "application/x-parquet");
        Byoe.Result r = Byoe.train(ml);
        assertNotEquals(0, r.exit());
        String failure = Files.readString(ml.failure());
        assertTrue(failure.contains("train/part-0.parquet is truncated"), failure);
        assertTrue(!r.all().contains("\tat "), "a reason, not a stack trace: " + r.all());
    }

    @Test
    void theMonitorProfilesAParquetDatasetAsItsCsvTwin() throws Exception {
        Path trainCsv = MlLayout.data("cal_housing/train.csv");
        Path csvInput = Files.createDirectories(tmp.resolve("csv-input"));
        Files.copy(trainCsv, csvInput.resolve("train.csv"));
        Path parquetInput = Files.createDirectories(tmp.resolve("parquet-input/part"));
        Files.write(
                parquetInput.resolve("part-0.parquet"),
                ParquetFiles.fromCsv(trainCsv, CompressionCodecName.SNAPPY));
        JsonNode fromCsv = baseline(csvInput, "{\"csv\": {\"header\": true}}", "csv");
        JsonNode fromParquet = baseline(tmp.resolve("parquet-input"), "{\"parquet\": {}}", "pq");
        JsonNode detected = baseline(tmp.resolve("parquet-input"), "", "auto");
        assertEquals(600, fromParquet.at("/dataset/item_count").asInt());
        assertEquals(fromCsv.get("features").size(), fromParquet.get("features").size());
        for (int i = 0; i < fromCsv.get("features").size(); i++) {
            JsonNode a = fromCsv.get("features").get(i);
            for (JsonNode b :
                    List.of(fromParquet.get("features").get(i), detected.get("features").get(i))) {
                assertEquals(a.get("name"), b.get("name"));
                assertEquals(
                        a.get("inferred_type"), b.get("inferred_type"), a.get("name").asText());
                for (String stat :
                        List.of(
                                "/numerical_statistics/common",
                                "/numerical_statistics/mean",
                                "/numerical_statistics/min",
                                "/numerical_statistics/max",
                                "/string_statistics/common",
                                "/string_statistics/distinct_count")) {
                    assertEquals(a.at(stat), b.at(stat), a.get("name").asText() + stat);
                }
            }
        }
    }

    private JsonNode baseline(Path input, String format, String name) throws Exception {
        Path out = tmp.resolve("baseline-" + name);
        Map<String, String> env = new java.util.HashMap<>();
        env.put("BYOE_ML_ROOT", tmp.resolve("ml-" + name).toString());
        env.put("dataset_source", input.toString());
        env.put("output_path", out.toString());
        env.put("publish_cloudwatch_metrics", "Disabled");
        if (!format.isEmpty()) {
            env.put("dataset_format", format);
        }
        Byoe.Result r = Byoe.run(env, "monitor", "baseline");
        assertEquals(0, r.exit(), r.all());
        return JSON.readTree(out.resolve("statistics.json").toFile());
    }
}
