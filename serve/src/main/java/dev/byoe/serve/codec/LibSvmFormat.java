package dev.byoe.serve.codec;

import dev.byoe.core.data.FeatureBatch;
import dev.byoe.core.data.FeatureSchema;
import dev.byoe.formats.RowFormat;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * {@code text/libsvm} requests: a row per line, {@code [label] index:value ...}, a label being
 * ignored; an absent index is 0, indices count from the model's base (the training data's, 1 when
 * it was not libsvm). Only read: answers go out as CSV unless Accept asks for another format.
 */
final class LibSvmFormat extends ReadOnlyRowFormat {
    @Override
    public String mediaType() {
        return RowFormat.LIBSVM.contentTypes().getFirst();
    }

    @Override
    public List<String> names() {
        return RowFormat.LIBSVM.contentTypes();
    }

    @Override
    public int workingMemoryPerByte() {
        return 4;
    }

    /** The body is checked as UTF-8 text (and a byte-order mark dropped) as other text bodies. */
    @Override
    public FeatureBatch decodeRows(byte[] body, FeatureSchema schema) {
        byte[] text = RequestDecoder.utf8(body).getBytes(StandardCharsets.UTF_8);
        return NumericRequests.decode(text, RowFormat.LIBSVM, schema);
    }
}
