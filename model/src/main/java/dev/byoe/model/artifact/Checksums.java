package dev.byoe.model.artifact;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.CRC32C;

/**
 * The digests of every file of a model directory, in two lists written last when a model is saved
 * and checked first when it is loaded: a truncated or altered file stops the load with its name
 * instead of serving a model that parses but is not the one trained.
 *
 * <ul>
 *   <li>{@code checksums.sha256}: SHA-256, in the format of {@code sha256sum}, so that {@code
 *       sha256sum -c checksums.sha256} checks a model by hand.
 *   <li>{@code checksums.crc32c}: CRC-32C, the list a load checks. A cold start checks the files
 *       before the JIT has compiled SHA-256, so it ran interpreted and made the start of a 0.6 MB
 *       ensemble ~20 ms longer; even the interpreter computes CRC-32C with the processor's
 *       instruction (bench/RESULTS.md). Neither list guards against someone who can write the model
 *       directory (they can rewrite the lists too); both catch accidental damage alike.
 * </ul>
 *
 * A model saved before the CRC-32C list existed is checked with its SHA-256 list; one saved before
 * either existed loads unchecked.
 */
public final class Checksums {
    /** The list {@code sha256sum -c} reads. */
    public static final String FILE = "checksums.sha256";

    /** The list a load checks when it is there. */
    public static final String FAST_FILE = "checksums.crc32c";

    private Checksums() {}

    /** A digest and the list that holds it. */
    private enum Digest {
        CRC32C(FAST_FILE, "CRC-32C", 8) {
            @Override
            String hex(InputStream in, byte[] buf) throws IOException {
                CRC32C crc = new CRC32C();
                for (int r; (r = in.read(buf)) > 0; ) {
                    crc.update(buf, 0, r);
                }
                return HexFormat.of().toHexDigits((int) crc.getValue());
            }
        },
        SHA256(FILE, "SHA-256", 64) {
            @Override
            String hex(InputStream in, byte[] buf) throws IOException {
                MessageDigest md;
                try {
                    md = MessageDigest.getInstance("SHA-256");
                } catch (NoSuchAlgorithmException e) {
                    throw new IllegalStateException(e);
                }
                for (int r; (r = in.read(buf)) > 0; ) {
                    md.update(buf, 0, r);
                }
                return HexFormat.of().formatHex(md.digest());
            }
        };

        final String list;
        final String label;
        final int hexLength;

        Digest(String list, String label, int hexLength) {
            this.list = list;
            this.label = label;
            this.hexLength = hexLength;
        }

        /** The digest of what {@code in} holds, in lower-case hex, read through {@code buf}. */
        abstract String hex(InputStream in, byte[] buf) throws IOException;

        String of(Path file) throws IOException {
            try (InputStream in = Files.newInputStream(file)) {
                return hex(in, new byte[1 << 16]);
            }
        }
    }

    /** Lists every regular file under {@code directory} (except the lists) with its digests. */
    public static void write(Path directory) throws IOException {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(directory)) {
            files =
                    walk.filter(Files::isRegularFile)
                            .filter(p -> !isList(p.getFileName().toString()))
                            .sorted()
                            .toList();
        }
        for (Digest digest : Digest.values()) {
            StringBuilder sb = new StringBuilder();
            for (Path f : files) {
                sb.append(digest.of(f)).append("  ").append(relative(directory, f)).append('\n');
            }
            Files.writeString(directory.resolve(digest.list), sb, StandardCharsets.UTF_8);
        }
    }

    private static boolean isList(String name) {
        return name.equals(FILE) || name.equals(FAST_FILE);
    }

    /**
     * Checks every file the CRC-32C list names, or, without that list, every file the SHA-256 list
     * names; a model with neither (saved before they existed) passes.
     *
     * @throws IOException naming the first file that is missing or differs
     */
    public static void verify(Path directory) throws IOException {
        for (Digest digest : Digest.values()) {
            Path list = directory.resolve(digest.list);
            if (Files.isRegularFile(list)) {
                verify(directory, list, digest);
                return;
            }
        }
    }

    private static void verify(Path directory, Path list, Digest digest) throws IOException {
        List<String> problems = new ArrayList<>();
        int n = 0;
        for (String line : Files.readAllLines(list, StandardCharsets.UTF_8)) {
            if (line.isBlank()) {
                continue;
            }
            n++;
            int sep = line.indexOf("  ");
            if (sep != digest.hexLength) {
                throw new IOException(
                        digest.list + " line " + n + " is not '<" + digest.label + ">  <file>'");
            }
            String name = line.substring(sep + 2);
            Path f = directory.resolve(name).normalize();
            if (!f.startsWith(directory.normalize())) {
                throw new IOException(
                        digest.list + " names " + name + ", which is outside the model directory");
            }
            if (!Files.isRegularFile(f)) {
                problems.add(name + " is missing");
            } else if (!digest.of(f).equalsIgnoreCase(line.substring(0, sep))) {
                problems.add(
                        name
                                + " differs from its "
                                + digest.label
                                + " in "
                                + digest.list
                                + " ("
                                + Files.size(f)
                                + " bytes now; truncated, corrupted or changed after training)");
            }
        }
        if (!problems.isEmpty()) {
            throw new IOException(
                    "the model in " + directory + " is damaged: " + String.join("; ", problems));
        }
    }

    private static String relative(Path directory, Path file) {
        return directory.relativize(file).toString().replace('\\', '/');
    }
}
