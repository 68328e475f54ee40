package dev.byoe.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.byoe.formats.recordio.proto.SageMakerRecord.Float32Tensor;
import dev.byoe.formats.recordio.proto.SageMakerRecord.Record;
import dev.byoe.formats.recordio.proto.SageMakerRecord.Value;
import java.io.ByteArrayOutputStream;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same rows in CSV, libsvm and RecordIO-protobuf (File and Pipe mode) train the same model, and
 * the endpoint answers libsvm and RecordIO-protobuf requests as it answers CSV. The libsvm and
 * RecordIO copies are made here from cal_housing's numeric columns: libsvm as a writer of the
 * format would write it (1-based, zeros left out), Records with protobuf's generated classes and
 * RecordIO frames laid out byte by byte, independently of byoe's reader.
 */
class DataFormatsIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, String> HYPERPARAMETERS =
            Map.of("objective", "regression", "k_fold", "3", "num_round", "30");

    /** Label first, then the numeric features, as numbers (cal_housing without 'region'). */
    private static List<float[]> train;

    private static List<float[]> holdout;

    @TempDir Path tmp;

    @BeforeAll
    static void readRows() throws Exception {
        train = numericRows(MlLayout.data("cal_housing/train.csv"));
        holdout = numericRows(MlLayout.data("cal_housing/holdout.csv"));
    }

    private static List<float[]> numericRows(Path csv) throws Exception {
        return numericRows(csv, "medianHouseValue", List.of("region"));
    }

    /** The label, then every column but {@code text}, as numbers. */
    private static List<float[]> numericRows(Path csv, String labelName, List<String> text)
            throws Exception {
        List<String> lines = Files.readAllLines(csv);
        List<String> header = List.of(lines.getFirst().split(","));
        int label = header.indexOf(labelName);
        List<float[]> rows = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] cells = line.split(",", -1);
            float[] row = new float[cells.length - text.size()];
            row[0] = Float.parseFloat(cells[label]);
            int k = 1;
            for (int c = 0; c < cells.length; c++) {
                if (c != label && !text.contains(header.get(c))) {
                    row[k++] = Float.parseFloat(cells[c]);
                }
            }
            rows.add(row);
        }
        return rows;
    }

    private static String csv(List<float[]> rows, boolean label) {
        StringBuilder sb = new StringBuilder();
        for (float[] row : rows) {
            for (int c = label ? 0 : 1; c < row.length; c++) {
                sb.append(c > (label ? 0 : 1) ? "," : "").append(row[c]);
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    private static String libsvm(List<float[]> rows) {
        return libsvm(rows, 1);
    }

    /** libsvm lines whose first feature has index {@code base}. */
    private static String libsvm(List<float[]> rows, int base) {
        StringBuilder sb = new StringBuilder();
        for (float[] row : rows) {
            sb.append(row[0]);
            for (int c = 1; c < row.length; c++) {
                if (row[c] != 0) {
                    sb.append(' ').append(c - 1 + base).append(':').append(row[c]);
                }
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    /** RecordIO frames of Records, dense features under "values", the label when asked. */
    private static byte[] recordIo(List<float[]> rows, boolean label) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (float[] row : rows) {
            Float32Tensor.Builder features = Float32Tensor.newBuilder();
            for (int c = 1; c < row.length; c++) {
                features.addValues(row[c]);
            }
            Record.Builder r =
                    Record.newBuilder()
                            .putFeatures(
                                    "values",
                                    Value.newBuilder().setFloat32Tensor(features).build());
            if (label) {
                r.putLabel(
                        "values",
                        Value.newBuilder()
                                .setFloat32Tensor(Float32Tensor.newBuilder().addValues(row[0]))
                                .build());
            }
            frame(out, r.build().toByteArray());
        }
        return out.toByteArray();
    }

    static void frame(ByteArrayOutputStream out, byte[] payload) {
        ByteBuffer head = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        head.putInt(0xCED7230A).putInt(payload.length);
        out.writeBytes(head.array());
        out.writeBytes(payload);
        out.writeBytes(new byte[(4 - payload.length % 4) % 4]);
    }

    private MlLayout layout(String name, String contentType, byte[] data) throws Exception {
        return layout(name, contentType, data, HYPERPARAMETERS);
    }

    private MlLayout layout(
            String name, String contentType, byte[] data, Map<String, String> hyperparameters)
            throws Exception {
        MlLayout ml =
                new MlLayout(Files.createDirectories(tmp.resolve(name)))
                        .hyperparameters(hyperparameters)
                        .channel("train", Map.of("part-0", data));
        ml.channelSetting("train", "ContentType", contentType);
        return ml;
    }

    private static JsonNode manifest(MlLayout ml) throws Exception {
        return JSON.readTree(ml.model().resolve("manifest.json").toFile());
    }

    @Test
    void csvLibsvmAndRecordIoInFileAndPipeModeTrainTheSameModel() throws Exception {
        MlLayout csv = layout("csv", "text/csv", csv(train, true).getBytes(StandardCharsets.UTF_8));
        MlLayout libsvm =
                layout("libsvm", "text/libsvm", libsvm(train).getBytes(StandardCharsets.UTF_8));
        MlLayout zeroBased =
                layout("libsvm0", "text/libsvm", libsvm(train, 0).getBytes(StandardCharsets.UTF_8));
        MlLayout recordFile =
                layout("recordio", "application/x-recordio-protobuf", recordIo(train, true));
        MlLayout recordPipe =
                new MlLayout(Files.createDirectories(tmp.resolve("pipe")))
                        .hyperparameters(HYPERPARAMETERS);
        Thread writer = recordPipe.pipe("train", recordIo(train, true));
        recordPipe.channelSetting("train", "ContentType", "application/x-recordio-protobuf");
        recordPipe.channelSetting("train", "RecordWrapperType", "RecordIO");
        for (MlLayout ml : List.of(csv, libsvm, zeroBased, recordFile, recordPipe)) {
            Byoe.Result r = Byoe.train(ml);
            assertEquals(0, r.exit(), r.all());
        }
        writer.join(10_000);
        JsonNode reference = manifest(csv);
        assertEquals(8, reference.get("features").size());
        assertEquals("text/csv", reference.at("/data/train/content_type").asText());
        for (MlLayout ml : List.of(libsvm, zeroBased, recordFile, recordPipe)) {
            JsonNode m = manifest(ml);
            assertEquals(reference.get("features"), m.get("features"));
            assertEquals(reference.get("target"), m.get("target"));
            assertEquals(train.size(), m.at("/data/train/rows").asInt());
            assertEquals(
                    reference.at("/evaluation/ensemble"),
                    m.at("/evaluation/ensemble"),
                    "metrics from " + m.at("/data/train/content_type"));
        }
        assertEquals(1, manifest(libsvm).at("/data/train/libsvm_index_base").asInt());
        assertEquals(1, manifest(libsvm).get("libsvm_index_base").asInt());
        assertEquals(0, manifest(zeroBased).get("libsvm_index_base").asInt());
        assertEquals(
                "application/x-recordio-protobuf",
                manifest(recordPipe).at("/data/train/content_type").asText());
        assertEquals("train_0", manifest(recordPipe).at("/data/train/files/0/name").asText());

        // The libsvm-trained model answers every format alike.
        List<float[]> rows = holdout.subList(0, 50);
        try (Served s = Served.start(libsvm.root, Map.of())) {
            HttpResponse<String> fromCsv = s.post(csv(rows, false), "Content-Type", "text/csv");
            assertEquals(200, fromCsv.statusCode(), fromCsv.body());
            HttpResponse<String> fromLibsvm = s.post(libsvm(rows), "Content-Type", "text/libsvm");
            assertEquals(200, fromLibsvm.statusCode(), fromLibsvm.body());
            assertEquals(fromCsv.body(), fromLibsvm.body());
            assertEquals("text/csv", fromLibsvm.headers().firstValue("Content-Type").orElse(""));
            List<Double> expected = fromCsv.body().lines().map(Double::parseDouble).toList();
            assertEquals(rows.size(), expected.size());

            HttpResponse<byte[]> fromRecords =
                    s.postBytes(
                            recordIo(rows, false),
                            "Content-Type",
                            "application/x-recordio-protobuf",
                            "Accept",
                            "application/x-recordio-protobuf");
            assertEquals(200, fromRecords.statusCode());
            assertEquals(
                    "application/x-recordio-protobuf",
                    fromRecords.headers().firstValue("Content-Type").orElse(""));
            List<Record> answers = records(fromRecords.body());
            assertEquals(rows.size(), answers.size());
            for (int i = 0; i < rows.size(); i++) {
                float score =
                        answers.get(i).getLabelOrThrow("score").getFloat32Tensor().getValues(0);
                assertEquals(expected.get(i), score, Math.abs(expected.get(i)) * 1e-6, "row " + i);
            }

            // The model trained from 0-based libsvm reads 0-based requests.
            try (Served zero = Served.start(zeroBased.root, Map.of())) {
                HttpResponse<String> r = zero.post(libsvm(rows, 0), "Content-Type", "text/libsvm");
                assertEquals(fromCsv.body(), r.body());
            }

            // Bad bodies are refused, naming the line or record.
            HttpResponse<String> beyond =
                    s.post("1:0.5 8:1.0\n1:0.5 20:3\n", "Content-Type", "text/libsvm");
            assertEquals(400, beyond.statusCode());
            assertTrue(beyond.body().contains("line 2"), beyond.body());
            byte[] broken = recordIo(rows.subList(0, 3), false);
            broken[0] = 0;
            HttpResponse<String> magic =
                    s.post(broken, "Content-Type", "application/x-recordio-protobuf");
            assertEquals(400, magic.statusCode());
            assertTrue(
                    magic.body().contains("record 1") && magic.body().contains("magic"),
                    magic.body());
            HttpResponse<String> libsvmAnswer =
                    s.post(csv(rows, false), "Content-Type", "text/csv", "Accept", "text/libsvm");
            assertEquals(406, libsvmAnswer.statusCode(), libsvmAnswer.body());
        }
    }

    /**
     * adult's numeric columns (its text columns cannot travel in libsvm or RecordIO; the whole of
     * adult is compared with Parquet in {@code ParquetIT}): a classifier, and sparse rows, as
     * capital_gain and capital_loss are mostly 0 and libsvm leaves zeros out.
     */
    @Test
    void adultsNumericColumnsTrainTheSameClassifierInEveryNumericFormat() throws Exception {
        List<float[]> adult =
                numericRows(
                        MlLayout.data("adult-sample.csv"), "label", AdultEndToEndIT.CATEGORICAL);
        Map<String, String> hp = Map.of("objective", "binary", "k_fold", "3", "num_round", "30");
        // Labels as CSV and libsvm files hold them, "0" and "1"; RecordIO carries them as floats,
        // which name the classes the same way.
        String csvText = csv(adult, true).replaceAll("(?m)^(\\d+)\\.0,", "$1,");
        MlLayout csv = layout("a-csv", "text/csv", csvText.getBytes(StandardCharsets.UTF_8), hp);
        MlLayout libsvm =
                layout(
                        "a-libsvm",
                        "text/libsvm",
                        libsvm(adult)
                                .replaceAll("(?m)^(\\d+)\\.0 ", "$1 ")
                                .getBytes(StandardCharsets.UTF_8),
                        hp);
        MlLayout records =
                layout("a-recordio", "application/x-recordio-protobuf", recordIo(adult, true), hp);
        MlLayout pipe =
                new MlLayout(Files.createDirectories(tmp.resolve("a-pipe"))).hyperparameters(hp);
        Thread writer = pipe.pipe("train", recordIo(adult, true));
        pipe.channelSetting("train", "ContentType", "application/x-recordio-protobuf");
        pipe.channelSetting("train", "RecordWrapperType", "RecordIO");
        for (MlLayout ml : List.of(csv, libsvm, records, pipe)) {
            Byoe.Result r = Byoe.train(ml);
            assertEquals(0, r.exit(), r.all());
        }
        writer.join(10_000);
        JsonNode reference = manifest(csv);
        assertEquals(6, reference.get("features").size());
        for (MlLayout ml : List.of(libsvm, records, pipe)) {
            JsonNode m = manifest(ml);
            assertEquals(reference.get("features"), m.get("features"));
            assertEquals(reference.get("target"), m.get("target"));
            assertEquals(adult.size(), m.at("/data/train/rows").asInt());
            assertEquals(reference.at("/evaluation/ensemble"), m.at("/evaluation/ensemble"));
        }
        assertTrue(reference.at("/evaluation/ensemble/auc").asDouble() > 0.7, reference.toString());
    }

    @Test
    void aCsvTrainingChannelWithItsLabelLastTakesALibsvmValidationChannel() throws Exception {
        StringBuilder csv = new StringBuilder("f1,f2,f3,f4,f5,f6,f7,f8,value\n");
        for (float[] row : train) {
            for (int c = 1; c < row.length; c++) {
                csv.append(row[c]).append(',');
            }
            csv.append(row[0]).append('\n');
        }
        MlLayout ml =
                new MlLayout(tmp)
                        .hyperparameters(
                                Map.of(
                                        "objective", "regression",
                                        "target_column", "value",
                                        "num_round", "30"))
                        .channel("train", Map.of("train.csv", csv.toString().getBytes()))
                        .channel(
                                "validation", Map.of("holdout.libsvm", libsvm(holdout).getBytes()));
        ml.channelSetting("validation", "ContentType", "text/libsvm");
        Byoe.Result r = Byoe.train(ml);
        assertEquals(0, r.exit(), r.all());
        JsonNode m = manifest(ml);
        assertEquals("validation", m.at("/evaluation/method").asText());
        assertEquals(holdout.size(), m.at("/data/validation/rows").asInt());
        assertEquals("text/libsvm", m.at("/data/validation/content_type").asText());
        assertEquals("f1", m.at("/features/0/name").asText());
        assertTrue(
                m.at("/evaluation/ensemble/rmse").asDouble() > 0, m.get("evaluation").toString());
    }

    static List<Record> records(byte[] body) throws Exception {
        List<Record> out = new ArrayList<>();
        ByteBuffer b = ByteBuffer.wrap(body).order(ByteOrder.LITTLE_ENDIAN);
        while (b.hasRemaining()) {
            assertEquals(0xCED7230A, b.getInt());
            int length = b.getInt() & ((1 << 29) - 1);
            byte[] payload = new byte[length];
            b.get(payload);
            b.position(b.position() + (4 - length % 4) % 4);
            out.add(Record.parseFrom(payload));
        }
        return out;
    }

    @Test
    void aModelWithCategoricalFeaturesRefusesNumericOnlyFormats() throws Exception {
        MlLayout ml = new MlLayout(tmp).model("adult");
        try (Served s = Served.start(ml.root, Map.of())) {
            HttpResponse<String> r = s.post("1:0.5 2:1.0\n", "Content-Type", "text/libsvm");
            assertEquals(415, r.statusCode(), r.body());
            assertTrue(
                    r.body().contains("categorical features") && r.body().contains("'workclass'"),
                    r.body());
        }
    }

    @Test
    void badFilesEndTheJobNamingFileAndRecord() throws Exception {
        MlLayout overflow =
                layout(
                        "overflow",
                        "text/libsvm",
                        "1 1:0.5 2:1\n2 1:0.25 99999999999999999999:1\n"
                                .getBytes(StandardCharsets.UTF_8));
        Byoe.Result r = Byoe.train(overflow);
        assertNotEquals(0, r.exit());
        String failure = Files.readString(overflow.failure());
        assertTrue(failure.contains("train/part-0 line 2"), failure);
        assertTrue(failure.contains("index"), failure);

        byte[] records = recordIo(train.subList(0, 20), true);
        ByteBuffer.wrap(records)
                .order(ByteOrder.LITTLE_ENDIAN)
                .putInt(firstFrameLength(records), 0x12345678);
        MlLayout magic = layout("magic", "application/x-recordio-protobuf", records);
        r = Byoe.train(magic);
        assertNotEquals(0, r.exit());
        failure = Files.readString(magic.failure());
        assertTrue(
                failure.contains("train/part-0, record 2") && failure.contains("0x12345678"),
                failure);

        MlLayout other = layout("other-type", "application/x-image", new byte[] {1, 2, 3});
        r = Byoe.train(other);
        assertNotEquals(0, r.exit());
        assertTrue(
                Files.readString(other.failure()).contains("text/libsvm"),
                Files.readString(other.failure()));
    }

    /** Where the second frame starts. */
    private static int firstFrameLength(byte[] records) {
        int length = ByteBuffer.wrap(records).order(ByteOrder.LITTLE_ENDIAN).getInt(4);
        return 8 + length + (4 - length % 4) % 4;
    }

    private static final String ADULT_ROWS =
            "27,Private,215873,HS-grad,9,Never-married,Machine-op-inspct,Own-child,Black,Male,0,0,40,United-States\n"
                    + "52,Self-emp-inc,287927,HS-grad,9,Married-civ-spouse,Exec-managerial,Wife,White,Female,15024,0,40,United-States\n";

    @Test
    void sageMakerInferenceOutputSelectsTheAnswerKeysInEveryFormat() throws Exception {
        MlLayout ml = new MlLayout(tmp).model("adult");
        List<Double> positive;
        try (Served plain = Served.start(ml.root, Map.of())) {
            HttpResponse<String> r = plain.post(ADULT_ROWS, "Content-Type", "text/csv");
            assertEquals(200, r.statusCode(), r.body());
            positive = r.body().lines().map(Double::parseDouble).toList();
        }
        assertTrue(positive.get(0) < 0.5 && positive.get(1) > 0.5, positive.toString());
        Map<String, String> env =
                Map.of("SAGEMAKER_INFERENCE_OUTPUT", "predicted_label, probability,PROBABILITIES");
        try (Served s = Served.start(ml.root, env)) {
            HttpResponse<String> csv = s.post(ADULT_ROWS, "Content-Type", "text/csv");
            assertEquals(200, csv.statusCode(), csv.body());
            List<String> lines = csv.body().lines().toList();
            assertEquals(2, lines.size());
            for (int i = 0; i < 2; i++) {
                double p = positive.get(i);
                assertEquals(
                        (p >= 0.5 ? "1" : "0") + "," + p + ",\"[" + (1 - p) + "," + p + "]\"",
                        lines.get(i));
            }
            HttpResponse<String> json =
                    s.post(ADULT_ROWS, "Content-Type", "text/csv", "Accept", "application/json");
            JsonNode first = JSON.readTree(json.body()).at("/predictions/1");
            assertEquals("1", first.get("predicted_label").asText());
            assertEquals(positive.get(1), first.get("probability").asDouble());
            assertEquals(2, first.get("probabilities").size());
            assertEquals(3, first.size(), first.toString());
            HttpResponse<byte[]> records =
                    s.postBytes(
                            ADULT_ROWS.getBytes(StandardCharsets.UTF_8),
                            "Content-Type",
                            "text/csv",
                            "Accept",
                            "application/x-recordio-protobuf");
            List<Record> answers = records(records.body());
            assertEquals(2, answers.size());
            assertEquals(
                    1f,
                    answers.get(1)
                            .getLabelOrThrow("predicted_label")
                            .getFloat32Tensor()
                            .getValues(0));
            assertEquals(
                    positive.get(0),
                    answers.get(0).getLabelOrThrow("probability").getFloat32Tensor().getValues(0),
                    1e-6);
        }

        MlLayout logs =
                new MlLayout(Files.createDirectories(tmp.resolve("logs"))).model("hdfs-logs");
        try (Served s =
                Served.start(
                        logs.root,
                        Map.of("SAGEMAKER_INFERENCE_OUTPUT", "predicted_label,predicted_score"))) {
            HttpResponse<String> r =
                    s.post(
                            "b1,E22 E5 E5 E5 E26 E26 E11 E9 E11 E9\n",
                            "Content-Type",
                            "text/csv",
                            "Accept",
                            "application/jsonlines");
            assertEquals(200, r.statusCode(), r.body());
            JsonNode answer = JSON.readTree(r.body().lines().findFirst().orElseThrow());
            assertEquals(2, answer.size(), answer.toString());
            assertTrue(answer.get("predicted_label").asText().matches("[01]"), answer.toString());
            assertTrue(answer.get("predicted_score").isNumber(), answer.toString());
        }

        Map<String, String> mlRoot = Map.of("BYOE_ML_ROOT", ml.root.toString());
        Byoe.Result unknown =
                Byoe.run(
                        merged(mlRoot, "SAGEMAKER_INFERENCE_OUTPUT", "predicted_label,confidence"),
                        "serve");
        assertNotEquals(0, unknown.exit());
        assertTrue(unknown.all().contains("'confidence' is not a key"), unknown.all());
        Byoe.Result mismatch =
                Byoe.run(merged(mlRoot, "SAGEMAKER_INFERENCE_OUTPUT", "predicted_score"), "serve");
        assertNotEquals(0, mismatch.exit());
        assertTrue(
                mismatch.all()
                        .contains("'predicted_score', which objective=binary does not answer"),
                mismatch.all());
    }

    @Test
    void sageMakerInferenceInputReadsCsvFieldsByName() throws Exception {
        MlLayout ml = new MlLayout(tmp).model("adult");
        List<String> features =
                List.of(
                        "age",
                        "workclass",
                        "fnlwgt",
                        "education",
                        "education_num",
                        "marital_status",
                        "occupation",
                        "relationship",
                        "race",
                        "sex",
                        "capital_gain",
                        "capital_loss",
                        "hours_per_week",
                        "native_country");
        // The previous container's order: reversed, with a field of its own in front.
        List<String> keys = new ArrayList<>(features.reversed());
        keys.addFirst("request_id");
        StringBuilder keyed = new StringBuilder();
        int n = 0;
        for (String line : ADULT_ROWS.strip().split("\n")) {
            List<String> cells = new ArrayList<>(List.of(line.split(",")).reversed());
            cells.addFirst("req-" + n++);
            keyed.append(String.join(",", cells)).append('\n');
        }
        String plain;
        try (Served s = Served.start(ml.root, Map.of())) {
            plain = s.post(ADULT_ROWS, "Content-Type", "text/csv").body();
        }
        try (Served s =
                Served.start(
                        ml.root, Map.of("SAGEMAKER_INFERENCE_INPUT", String.join(", ", keys)))) {
            HttpResponse<String> r = s.post(keyed.toString(), "Content-Type", "text/csv");
            assertEquals(200, r.statusCode(), r.body());
            assertEquals(plain, r.body());
            HttpResponse<String> unkeyed = s.post(ADULT_ROWS, "Content-Type", "text/csv");
            assertEquals(400, unkeyed.statusCode(), "14 fields where the keys say 15");
        }

        Map<String, String> mlRoot = Map.of("BYOE_ML_ROOT", ml.root.toString());
        Byoe.Result answers =
                Byoe.run(merged(mlRoot, "SAGEMAKER_INFERENCE_INPUT", "predicted_label"), "serve");
        assertNotEquals(0, answers.exit());
        assertTrue(answers.all().contains("names answers [predicted_label]"), answers.all());
        Byoe.Result lacking =
                Byoe.run(
                        merged(
                                mlRoot,
                                "SAGEMAKER_INFERENCE_INPUT",
                                String.join(",", features.subList(1, features.size()))),
                        "serve");
        assertNotEquals(0, lacking.exit());
        assertTrue(lacking.all().contains("lacks the model's features [age]"), lacking.all());
    }

    private static Map<String, String> merged(Map<String, String> env, String key, String value) {
        Map<String, String> out = new java.util.HashMap<>(env);
        out.put(key, value);
        out.put("SAGEMAKER_BIND_TO_PORT", "0");
        return out;
    }
}
