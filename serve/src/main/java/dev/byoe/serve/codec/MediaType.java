package dev.byoe.serve.codec;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A parsed media type such as {@code text/csv; charset=utf-8} or an Accept range {@code
 * application/*;q=0.5}. Types and parameter names are compared case-insensitively.
 */
public record MediaType(String type, String subtype, Map<String, String> parameters) {
    public static final MediaType CSV = new MediaType("text", "csv", Map.of());
    public static final MediaType JSON = new MediaType("application", "json", Map.of());
    public static final MediaType JSON_LINES = new MediaType("application", "jsonlines", Map.of());

    public static MediaType parse(String text) {
        // -1 keeps empty parts, so that ";" is refused below instead of leaving no parts at all.
        String[] parts = text.split(";", -1);
        String base = parts[0].strip().toLowerCase(Locale.ROOT);
        int slash = base.indexOf('/');
        if (slash <= 0 || slash == base.length() - 1) {
            throw new IllegalArgumentException("'" + text.strip() + "' is not a media type");
        }
        Map<String, String> params = new LinkedHashMap<>();
        for (int i = 1; i < parts.length; i++) {
            String p = parts[i].strip();
            int eq = p.indexOf('=');
            if (eq > 0) {
                params.put(
                        p.substring(0, eq).strip().toLowerCase(Locale.ROOT),
                        p.substring(eq + 1).strip().replace("\"", ""));
            }
        }
        return new MediaType(base.substring(0, slash), base.substring(slash + 1), params);
    }

    /** The ranges of an Accept header, most preferred first (by q, then by order). */
    public static List<MediaType> parseAccept(String header) {
        List<MediaType> out = new ArrayList<>();
        for (String part : header.split(",")) {
            if (!part.isBlank()) {
                out.add(parse(part));
            }
        }
        out.sort(Comparator.comparingDouble(MediaType::quality).reversed());
        return out;
    }

    /** The {@code charset} parameter, or {@code null}. */
    public String charset() {
        return parameters.get("charset");
    }

    public double quality() {
        try {
            return Double.parseDouble(parameters.getOrDefault("q", "1"));
        } catch (NumberFormatException e) {
            return 1;
        }
    }

    public String essence() {
        return type + "/" + subtype;
    }

    public boolean isWildcard() {
        return type.equals("*");
    }

    /** Whether this (possibly wildcard) range accepts {@code concrete}. */
    public boolean includes(MediaType concrete) {
        return (type.equals("*") || type.equals(concrete.type))
                && (subtype.equals("*") || subtype.equals(concrete.subtype));
    }

    @Override
    public String toString() {
        return essence();
    }
}
