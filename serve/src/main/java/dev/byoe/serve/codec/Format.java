package dev.byoe.serve.codec;

import java.util.List;
import java.util.Optional;

/** The body formats byoe reads and writes, with the media type names each goes by. */
public enum Format {
    CSV("text/csv", List.of("text/csv", "application/csv", "text/x-csv", "application/x-csv")),
    JSON("application/json", List.of("application/json")),
    JSON_LINES(
            "application/jsonlines",
            List.of(
                    "application/jsonlines",
                    "application/x-jsonlines",
                    "application/jsonl",
                    "application/x-ndjson",
                    "application/ndjson"));

    private final String mediaType;
    private final List<String> names;

    Format(String mediaType, List<String> names) {
        this.mediaType = mediaType;
        this.names = names;
    }

    /** The canonical media type written in responses. */
    public String mediaType() {
        return mediaType;
    }

    public static Optional<Format> of(MediaType type) {
        for (Format f : values()) {
            if (f.names.contains(type.essence())) {
                return Optional.of(f);
            }
        }
        return Optional.empty();
    }

    public static String supported() {
        return "text/csv, application/json, application/jsonlines";
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
                    "Accept " + e.getMessage() + "; accept one of " + supported());
        }
        for (MediaType range : ranges) {
            if (range.quality() <= 0) {
                continue;
            }
            if (range.isWildcard()) {
                return fallback;
            }
            if (range.subtype().equals("*")) {
                for (Format f : List.of(fallback, CSV, JSON, JSON_LINES)) {
                    if (range.includes(MediaType.parse(f.mediaType))) {
                        return f;
                    }
                }
                continue;
            }
            Optional<Format> f = of(range);
            if (f.isPresent()) {
                return f.get();
            }
        }
        throw RequestProblem.notAcceptable(
                "Accept '" + header + "' is not supported; accept one of " + supported());
    }
}
