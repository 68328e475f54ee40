package dev.byoe.jobs.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

class TransformStepTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static List<String> problems(String contentType, String accept) throws Exception {
        JsonNode step =
                JSON.readTree(
                        """
                        {"Arguments": {
                          "TransformInput": {"ContentType": "%s", "SplitType": "Line",
                            "DataSource": {"S3DataSource": {"S3DataType": "S3Prefix", "S3Uri": "file:/tmp/in/"}}},
                          "TransformOutput": {"Accept": "%s"}}}
                        """
                                .formatted(contentType, accept));
        return new TransformStep().check(step);
    }

    @Test
    void binaryBodiesAreRefusedBeforeTheLocalAgentCouldGarbleThem() throws Exception {
        assertEquals(List.of(), problems("text/libsvm", "text/csv"));
        List<String> input = problems("application/x-recordio-protobuf", "text/csv");
        assertEquals(1, input.size(), input.toString());
        assertTrue(input.getFirst().contains("text formats"), input.toString());
        assertEquals(1, problems("text/csv", "application/x-recordio-protobuf").size());
    }
}
