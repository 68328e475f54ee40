package dev.byoe.core.data;

/**
 * Writes one CSV field (RFC 4180), the counterpart of {@link CsvRecordReader}: quoted when it holds
 * a comma, a quote, a line feed or a carriage return, with quotes doubled; otherwise as it is.
 */
public final class CsvText {
    private CsvText() {}

    public static String field(String value) {
        return needsQuotes(value) ? '"' + value.replace("\"", "\"\"") + '"' : value;
    }

    public static void append(StringBuilder out, String value) {
        if (needsQuotes(value)) {
            out.append('"').append(value.replace("\"", "\"\"")).append('"');
        } else {
            out.append(value);
        }
    }

    private static boolean needsQuotes(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == ',' || c == '"' || c == '\n' || c == '\r') {
                return true;
            }
        }
        return false;
    }
}
