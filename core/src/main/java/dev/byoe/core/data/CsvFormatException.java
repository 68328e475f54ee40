package dev.byoe.core.data;

/** A CSV record that cannot be read; the message names the line (1-based) and what is wrong. */
public class CsvFormatException extends RuntimeException {
    private final long line;

    public CsvFormatException(long line, String message) {
        super("line " + line + ": " + message);
        this.line = line;
    }

    public long line() {
        return line;
    }
}
