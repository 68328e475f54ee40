package dev.byoe.model.member;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
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

    /**
     * The two ints a walk file opens with: which layout it holds ({@code magic}, four ASCII
     * letters) and that layout's version. A reader meeting another pair refuses the file rather
     * than guess.
     */
    public record Header(int magic, int version, String what) {
        /** Writes the header; the body follows on the returned stream. */
        public DataOutputStream writeTo(OutputStream out) throws IOException {
            DataOutputStream d = new DataOutputStream(out);
            d.writeInt(magic);
            d.writeInt(version);
            return d;
        }

        /** Reads and checks the header; the body follows on the returned stream. */
        public DataInputStream readFrom(InputStream in) throws IOException {
            DataInputStream d = new DataInputStream(in);
            int foundMagic = d.readInt();
            int foundVersion = d.readInt();
            if (foundMagic != magic || foundVersion != version) {
                throw new IOException(
                        String.format(
                                "not a %s of version %d (header %08x, version %d)",
                                what, version, foundMagic, foundVersion));
            }
            return d;
        }
    }

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
