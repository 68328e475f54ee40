package dev.byoe.serve.codec;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Every body format the endpoint reads and writes, and the choice of one for a request's
 * Content-Type and Accept headers. Adding a content type is one {@link Format} class and one line
 * in {@link #ALL}.
 */
public final class Formats {
    public static final Format CSV = new CsvFormat();
    public static final Format JSON = new JsonFormat(false);
    public static final Format JSON_LINES = new JsonFormat(true);

    public static final Format LIBSVM = new LibSvmFormat();
    public static final Format RECORDIO_PROTOBUF = new RecordIoProtobufFormat();
    public static final Format PARQUET = new ParquetFormat();

    private static final List<Format> ALL =
            List.of(CSV, JSON, JSON_LINES, LIBSVM, RECORDIO_PROTOBUF, PARQUET);

    private Formats() {}

    public static List<Format> all() {
        return ALL;
    }

    public static Optional<Format> of(MediaType type) {
        for (Format f : ALL) {
            if (f.names().contains(type.essence())) {
                return Optional.of(f);
            }
        }
        return Optional.empty();
    }

    public static String supported() {
        return String.join(", ", ALL.stream().map(Format::mediaType).toList());
    }

    /** The formats answers can be written in, for 406 messages. */
    public static String writable() {
        return String.join(
                ", ",
                ALL.stream().filter(f -> f.answerFormat() == f).map(Format::mediaType).toList());
    }

    /** The request's Content-Type as a format, or 415. */
    public static Format ofContentType(String header) {
        if (header == null || header.isBlank()) {
            throw RequestProblem.unsupportedType(
                    "missing Content-Type; send one of " + supported());
        }
        MediaType type;
        try {
            type = MediaType.parse(header);
        } catch (IllegalArgumentException e) {
            throw RequestProblem.unsupportedType(
                    "Content-Type " + e.getMessage() + "; send one of " + supported());
        }
        return of(type).orElseThrow(
                        () ->
                                RequestProblem.unsupportedType(
                                        "Content-Type "
                                                + type.essence()
                                                + " is not supported; send one of "
                                                + supported()));
    }

    /**
     * The response format for an Accept header: the most preferred supported type; a missing header
     * or a bare wildcard gets {@code fallback}; nothing acceptable is 406.
     */
    public static Format ofAccept(String header, Format fallback) {
        if (header == null || header.isBlank()) {
            return fallback;
        }
        List<MediaType> ranges;
        try {
            ranges = MediaType.parseAccept(header);
        } catch (IllegalArgumentException e) {
            throw RequestProblem.notAcceptable(
                    "Accept " + e.getMessage() + "; accept one of " + writable());
        }
        for (MediaType range : ranges) {
            if (range.quality() <= 0) {
                continue;
            }
            if (range.isWildcard()) {
                return fallback;
            }
            if (range.subtype().equals("*")) {
                List<Format> preferred = new ArrayList<>(List.of(fallback));
                preferred.addAll(ALL);
                for (Format f : preferred) {
                    if (f.answerFormat() == f && range.includes(MediaType.parse(f.mediaType()))) {
                        return f;
                    }
                }
                continue;
            }
            Optional<Format> f = of(range).filter(w -> w.answerFormat() == w);
            if (f.isPresent()) {
                return f.get();
            }
        }
        throw RequestProblem.notAcceptable(
                "Accept '" + header + "' is not supported; accept one of " + writable());
    }
}
