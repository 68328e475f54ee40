package dev.byoe.serve.codec;

import dev.byoe.core.data.FeatureBatch;
import dev.byoe.core.data.FeatureSchema;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** Decodes a request body into rows of the model's features. */
public interface RequestDecoder {
    FeatureBatch decode(byte[] body, FeatureSchema schema);

    /**
     * The body as text without a leading byte-order mark; invalid UTF-8 is refused rather than
     * silently replaced.
     */
    static String utf8(byte[] body) {
        return withoutByteOrderMark(decode(body, StandardCharsets.UTF_8));
    }

    /**
     * The body as UTF-8 without a leading byte-order mark, from the charset its Content-Type names
     * (any the JDK has; UTF-8 when none is named). An unknown charset is 415; bytes that are not
     * valid in it are 400.
     */
    static byte[] toUtf8(byte[] body, String charsetName) {
        Charset charset = StandardCharsets.UTF_8;
        if (charsetName != null) {
            try {
                charset = Charset.forName(charsetName.strip());
            } catch (IllegalArgumentException e) {
                throw RequestProblem.unsupportedType(
                        "charset " + charsetName + " is not one this server knows; send UTF-8");
            }
        }
        boolean bom =
                body.length >= 3
                        && body[0] == (byte) 0xEF
                        && body[1] == (byte) 0xBB
                        && body[2] == (byte) 0xBF;
        if (charset.equals(StandardCharsets.UTF_8)) {
            return bom ? Arrays.copyOfRange(body, 3, body.length) : body;
        }
        return withoutByteOrderMark(decode(body, charset)).getBytes(StandardCharsets.UTF_8);
    }

    private static String withoutByteOrderMark(String text) {
        return !text.isEmpty() && text.charAt(0) == '\uFEFF' ? text.substring(1) : text;
    }

    private static String decode(byte[] body, Charset charset) {
        try {
            return charset.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(body))
                    .toString();
        } catch (CharacterCodingException e) {
            throw RequestProblem.malformed("the body is not valid " + charset.name());
        }
    }
}
