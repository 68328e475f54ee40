package dev.byoe.serve.capture;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.byoe.core.Json;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Locale;

/**
 * One request and its answer (and, on a multi-model endpoint, the model's name and the caller's
 * TargetModel), kept as received (no copy, no encoding on the request thread), and turned into
 * SageMaker's capture line on the writer thread.
 */
record CaptureEvent(
        Instant time,
        String eventId,
        String modelName,
        String targetModel,
        String inputType,
        byte[] input,
        String outputType,
        byte[] output) {
    private static final ObjectMapper JSON = Json.MAPPER;

    /**
     * {@code {"captureData": {"endpointInput": ..., "endpointOutput": ...}, "eventMetadata": ...,
     * "eventVersion": "0"}}
     */
    String line() throws com.fasterxml.jackson.core.JsonProcessingException {
        ObjectNode root = JSON.createObjectNode();
        ObjectNode data = root.putObject("captureData");
        payload(data.putObject("endpointInput"), inputType, input, "INPUT");
        payload(data.putObject("endpointOutput"), outputType, output, "OUTPUT");
        ObjectNode metadata =
                root.putObject("eventMetadata")
                        .put("eventId", eventId)
                        .put("inferenceTime", time.toString());
        if (modelName != null) {
            metadata.put("modelName", modelName);
        }
        if (targetModel != null) {
            metadata.put("targetModel", targetModel);
        }
        root.put("eventVersion", "0");
        return JSON.writeValueAsString(root);
    }

    /**
     * CSV and JSON bodies are kept as text, as SageMaker does for listed types; anything else as
     * base64.
     */
    private static void payload(ObjectNode node, String type, byte[] body, String mode) {
        String media = type == null ? "" : type.split(";")[0].strip().toLowerCase(Locale.ROOT);
        String encoding =
                media.equals("text/csv")
                        ? "CSV"
                        : media.equals("application/json") || media.contains("jsonlines")
                                ? "JSON"
                                : "BASE64";
        String text = encoding.equals("BASE64") ? null : utf8(body);
        if (text == null) {
            encoding = "BASE64";
            text = Base64.getEncoder().encodeToString(body);
        }
        node.put("observedContentType", type == null ? "" : type);
        node.put("mode", mode);
        node.put("data", text);
        node.put("encoding", encoding);
    }

    private static String utf8(byte[] body) {
        try {
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(body))
                    .toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}
