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

/**
 * {@code checksums.sha256}: the SHA-256 of every file of a model directory, in the format of {@code
 * sha256sum} (so {@code sha256sum -c checksums.sha256} checks a model by hand). Written last when a
 * model is saved, checked first when it is loaded: a truncated or altered file stops the load with
 * its name instead of serving a model that parses but is not the one trained.
 */
public final class Checksums {
    public static final String FILE = "checksums.sha256";

    private Checksums() {}

    /** Lists every regular file under {@code directory} (except this list) with its digest. */
    public static void write(Path directory) throws IOException {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(directory)) {
            files =
                    walk.filter(Files::isRegularFile)
                            .filter(p -> !p.getFileName().toString().equals(FILE))
                            .sorted()
                            .toList();
        }
        StringBuilder sb = new StringBuilder();
        for (Path f : files) {
            sb.append(sha256(f)).append("  ").append(relative(directory, f)).append('\n');
        }
        Files.writeString(directory.resolve(FILE), sb, StandardCharsets.UTF_8);
    }

    /**
     * Checks every listed file; a model without the list (saved before it existed) passes.
     *
     * @throws IOException naming the first file that is missing or differs
     */
    public static void verify(Path directory) throws IOException {
        Path list = directory.resolve(FILE);
        if (!Files.isRegularFile(list)) {
            return;
        }
        List<String> problems = new ArrayList<>();
        int n = 0;
        for (String line : Files.readAllLines(list, StandardCharsets.UTF_8)) {
            if (line.isBlank()) {
                continue;
            }
            n++;
            int sep = line.indexOf("  ");
            if (sep != 64) {
                throw new IOException(FILE + " line " + n + " is not '<sha256>  <file>'");
            }
            String name = line.substring(sep + 2);
            Path f = directory.resolve(name).normalize();
            if (!f.startsWith(directory.normalize())) {
                throw new IOException(
                        FILE + " names " + name + ", which is outside the model directory");
            }
            if (!Files.isRegularFile(f)) {
                problems.add(name + " is missing");
            } else if (!sha256(f).equalsIgnoreCase(line.substring(0, 64))) {
                problems.add(
                        name
                                + " differs from its SHA-256 in "
                                + FILE
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

    private static String sha256(Path file) throws IOException {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        byte[] buf = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(file)) {
            int r;
            while ((r = in.read(buf)) > 0) {
                md.update(buf, 0, r);
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }
}
