package dev.byoe.formats;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The row formats of this module and the content types they go by. Adding one is a reader class and
 * one constant here.
 */
public enum RowFormat {
    LIBSVM("text/libsvm", "text/x-libsvm", "application/x-libsvm"),
    RECORDIO_PROTOBUF("application/x-recordio-protobuf");

    private final List<String> contentTypes;

    RowFormat(String... contentTypes) {
        this.contentTypes = List.of(contentTypes);
    }

    /** The canonical content type first. */
    public List<String> contentTypes() {
        return contentTypes;
    }

    /** The format a content type (parameters ignored, any case) names, if it is one of these. */
    public static Optional<RowFormat> ofContentType(String contentType) {
        if (contentType == null) {
            return Optional.empty();
        }
        String essence = contentType.split(";")[0].strip().toLowerCase(Locale.ROOT);
        for (RowFormat f : values()) {
            if (f.contentTypes.contains(essence)) {
                return Optional.of(f);
            }
        }
        return Optional.empty();
    }
}
