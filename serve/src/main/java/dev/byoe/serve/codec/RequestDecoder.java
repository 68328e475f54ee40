package dev.byoe.serve.codec;

import dev.byoe.ensemble.data.FeatureBatch;
import dev.byoe.ensemble.data.FeatureSchema;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/** Decodes a request body into rows of the model's features. */
public interface RequestDecoder {
    FeatureBatch decode(byte[] body, FeatureSchema schema);

    static RequestDecoder of(Format format) {
        return switch (format) {
            case CSV -> new CsvRequestDecoder();
            case JSON -> new JsonRequestDecoder(false);
            case JSON_LINES -> new JsonRequestDecoder(true);
        };
    }

    /** The body as text; invalid UTF-8 is refused rather than silently replaced. */
    static String utf8(byte[] body) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(body)).toString();
        } catch (CharacterCodingException e) {
            throw HttpProblem.badRequest("the body is not valid UTF-8");
        }
    }
}
