package dev.byoe.jobs.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

class TransformStepTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static List<String> problems(
            String contentType, String accept, String split, String processing) throws Exception {
        JsonNode step =
                JSON.readTree(
                        """
                        {"Arguments": {
                          "TransformInput": {"ContentType": "%s", "SplitType": "%s",
                            "DataSource": {"S3DataSource": {"S3DataType": "S3Prefix", "S3Uri": "file:/tmp/in/"}}},
                          "TransformOutput": {"Accept": "%s"},
                          "DataProcessing": %s}}
                        """
                                .formatted(contentType, split, accept, processing));
        return new TransformStep().check(step);
    }

    @Test
    void textBodiesMaySplitAndFilter() throws Exception {
        assertEquals(
                List.of(),
                problems("text/libsvm", "text/csv", "Line", "{\"JoinSource\": \"Input\"}"));
    }

    @Test
    void binaryBodiesGoWholeAndUnfiltered() throws Exception {
        assertEquals(List.of(), problems("application/x-parquet", "text/csv", "None", "{}"));
        assertEquals(
                List.of(),
                problems(
                        "application/x-recordio-protobuf",
                        "application/x-recordio-protobuf",
                        "None",
                        "{\"InputFilter\": \"$\"}"));
        List<String> split = problems("application/x-parquet", "text/csv", "Line", "{}");
        assertEquals(1, split.size(), split.toString());
        assertTrue(split.getFirst().contains("SplitType Line"), split.toString());
        List<String> filtered =
                problems(
                        "text/csv",
                        "application/x-recordio-protobuf",
                        "None",
                        "{\"OutputFilter\": \"$[0]\", \"JoinSource\": \"Input\"}");
        assertEquals(2, filtered.size(), filtered.toString());
        assertTrue(filtered.getFirst().contains("OutputFilter"), filtered.toString());
        assertTrue(filtered.getLast().contains("JoinSource"), filtered.toString());
    }
}
