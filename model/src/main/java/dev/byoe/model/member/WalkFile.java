package dev.byoe.model.member;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The file a member keeps its trees in, as byoe walks them in Java, beside its library's own model
 * file. That file stays the model; this one only spares a server the library: a model without it
 * (saved before it existed) or with a damaged one is scored by the library instead.
 */
public final class WalkFile {
    private WalkFile() {}

    /** Writes what {@code Reader#read} reads back. */
    @FunctionalInterface
    public interface Writer {
        void write(OutputStream out) throws IOException;
    }

    /** Reads a walk file, refusing (with an {@link IOException}) anything it does not fit. */
    @FunctionalInterface
    public interface Reader<T> {
        T read(InputStream in) throws IOException;
    }

    public static void write(Path file, Writer writer) throws IOException {
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file))) {
            writer.write(out);
        }
    }

    /**
     * What {@code reader} makes of {@code file}, or null when there is no such file or it is
     * refused (said on standard error: the library answers instead, so the model still serves).
     */
    public static <T> T readIfUsable(Path file, Reader<T> reader) {
        if (!Files.isRegularFile(file)) {
            return null;
        }
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file))) {
            return reader.read(in);
        } catch (IOException e) {
            System.err.println("note: " + file + " not used (" + e.getMessage() + ")");
            return null;
        }
    }
}
