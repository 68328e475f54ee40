package dev.byoe.jobs.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.byoe.formats.recordio.RecordIoWriter;
import dev.byoe.formats.recordio.proto.SageMakerRecord.Float32Tensor;
import dev.byoe.formats.recordio.proto.SageMakerRecord.Record;
import dev.byoe.formats.recordio.proto.SageMakerRecord.Value;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Captured libsvm and RecordIO-protobuf requests are profiled like the rows the endpoint scored.
 */
class CapturedNumericFormatsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static String event(String type, String encoding, String data) throws Exception {
        return JSON.writeValueAsString(
                Map.of(
                        "captureData",
                        Map.of(
                                "endpointInput",
                                Map.of(
                                        "observedContentType", type,
                                        "mode", "INPUT",
                                        "data", data,
                                        "encoding", encoding))));
    }

    @Test
    void libsvmAndRecordIoRowsBecomeTheBaselinesColumns(@TempDir Path dir) throws Exception {
        ByteArrayOutputStream records = new ByteArrayOutputStream();
        RecordIoWriter frames = new RecordIoWriter(records);
        for (float x : new float[] {5, 7}) {
            Float32Tensor.Builder t =
                    Float32Tensor.newBuilder().addValues(x).addValues(0).addValues(1);
            frames.write(
                    Record.newBuilder()
                            .putFeatures("values", Value.newBuilder().setFloat32Tensor(t).build())
                            .build()
                            .toByteArray());
        }
        String libsvm = "1:3 3:1\n2:4\n";
        Files.writeString(
                dir.resolve("capture.jsonl"),
                event(
                                "text/libsvm",
                                "BASE64",
                                Base64.getEncoder()
                                        .encodeToString(libsvm.getBytes(StandardCharsets.UTF_8)))
                        + "\n"
                        + event(
                                "application/x-recordio-protobuf",
                                "BASE64",
                                Base64.getEncoder().encodeToString(records.toByteArray()))
                        + "\n"
                        + event("application/x-recordio-protobuf", "BASE64", "AQIDBAAAAAA=")
                        + "\n");
        ReadProblems problems = new ReadProblems();
        DatasetProfile profile = new DatasetProfile(Set.of());
        new DatasetReader(
                        DatasetFormat.parse("{\"sagemakerCaptureJson\": {}}"),
                        List.of("a", "b", "c"),
                        null,
                        null,
                        problems)
                .read(dir, profile);
        assertEquals(4, profile.items(), "two libsvm rows and two records");
        assertEquals(List.of("a", "b", "c"), profile.names());
        // a: 3, 0 (absent), 5, 7
        assertEquals(15 / 4.0, profile.feature("a").mean(), 1e-9);
        assertEquals(4 / 4.0, profile.feature("b").mean(), 1e-9);
        assertEquals(1, problems.count(), problems.toString());
        assertTrue(problems.toString().contains("bad magic number"), problems.toString());
    }
}
