package dev.byoe.jobs.monitor;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Base64 payloads of captured records back to text; binary payloads are reported, not guessed at.
 */
final class CaptureText {
    private CaptureText() {}

    static String fromBase64(String data) {
        byte[] bytes = bytesFromBase64(data);
        try {
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("base64 data is not UTF-8 text");
        }
    }

    /** The bytes of a base64 payload (binary formats). */
    static byte[] bytesFromBase64(String data) {
        try {
            return Base64.getDecoder().decode(data.strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("data is not valid base64");
        }
    }
}
