package dev.byoe.training.anomaly.deeplog;

import com.github.luben.zstd.ZstdInputStream;
import dev.byoe.model.NativeLibraries;
import dev.byoe.model.member.MemberException;
import java.io.BufferedInputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * ND4J's native libraries (~330 MB unpacked) are used by DeepLog training only, never by serving.
 * The image therefore carries them not in the jar but as one zstd-compressed tar in the native
 * folder ({@value #ARCHIVE}, about a third of the jar's deflated copy; see {@code
 * docker/split-natives.sh}), which the first DeepLog training of a JVM unpacks into JavaCPP's cache
 * folder under {@code /tmp} and puts on the path JavaCPP searches. The OpenBLAS they link to is
 * unpacked in the image already (Smile uses it too) and on that path through {@code
 * LD_LIBRARY_PATH}. Outside the image (a plain {@code java -jar}) there is no archive and ND4J
 * finds its libraries in the jar as usual.
 */
final class Nd4jNatives {
    static final String ARCHIVE = "nd4j-natives.tar.zst";
    private static final String JAVACPP_CACHE_PROPERTY = "org.bytedeco.javacpp.cachedir";

    private static Path unpacked;

    private Nd4jNatives() {}

    /**
     * Makes ND4J's libraries loadable; call before the first ND4J class is used. Returns the folder
     * they were unpacked into, or null when they load from the jar.
     */
    static synchronized Path prepare(Consumer<String> log) throws MemberException {
        if (unpacked != null) {
            return unpacked;
        }
        String nativeDir = System.getProperty(NativeLibraries.DIR_PROPERTY);
        Path archive = nativeDir == null ? null : Path.of(nativeDir, ARCHIVE);
        if (archive == null || !Files.isRegularFile(archive)) {
            return null;
        }
        Path target = cacheDir().resolve("nd4j-natives");
        try {
            long started = System.nanoTime();
            long bytes = unpack(archive, target);
            if (bytes > 0) {
                log.accept(
                        String.format(
                                Locale.ROOT,
                                "deeplog: unpacked ND4J's native libraries (%d MB) from %s into %s in %.1f s",
                                bytes >> 20,
                                archive,
                                target,
                                (System.nanoTime() - started) / 1e9));
            }
        } catch (IOException | LinkageError e) {
            // LinkageError: zstd's own library could not load, e.g. from a /tmp mounted noexec.
            throw new MemberException(
                    "could not unpack ND4J's native libraries from "
                            + archive
                            + " into "
                            + target
                            + " (DeepLog training needs about 330 MB there, writable and"
                            + " executable): "
                            + e,
                    e);
        }
        // JavaCPP reads the search path each time it looks for a library, and loads what it
        // finds there by absolute path, so setting it now (before ND4J starts) is enough.
        String path = System.getProperty("java.library.path", "");
        System.setProperty(
                "java.library.path",
                path.isEmpty() ? target.toString() : target + File.pathSeparator + path);
        System.setProperty("org.bytedeco.javacpp.pathsFirst", "true");
        unpacked = target;
        return target;
    }

    private static Path cacheDir() {
        String dir = System.getProperty(JAVACPP_CACHE_PROPERTY);
        return dir != null
                ? Path.of(dir)
                : Path.of(System.getProperty("java.io.tmpdir"), "byoe-javacpp");
    }

    /**
     * Unpacks the zstd-compressed tar into {@code target} unless an earlier run did; returns the
     * bytes written (0 when already there). Unpacks beside the target and renames, so a run that
     * dies half-way never leaves a folder that looks complete.
     */
    static long unpack(Path archive, Path target) throws IOException {
        if (Files.isDirectory(target)) {
            return 0;
        }
        Files.createDirectories(target.getParent());
        Path partial = Files.createTempDirectory(target.getParent(), target.getFileName() + ".");
        try {
            long bytes = unpackInto(archive, partial);
            try {
                Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                if (!Files.isDirectory(target)) {
                    throw e;
                }
                // Another JVM finished first; its copy is complete.
                deleteTree(partial);
                return 0;
            }
            return bytes;
        } catch (IOException | RuntimeException e) {
            deleteTree(partial);
            throw e;
        }
    }

    private static long unpackInto(Path archive, Path into) throws IOException {
        long bytes = 0;
        try (InputStream file = new BufferedInputStream(Files.newInputStream(archive), 1 << 16);
                TarArchiveInputStream tar = new TarArchiveInputStream(new ZstdInputStream(file))) {
            for (TarArchiveEntry entry = tar.getNextEntry();
                    entry != null;
                    entry = tar.getNextEntry()) {
                Path out = into.resolve(entry.getName()).normalize();
                if (!out.startsWith(into)) {
                    throw new IOException(
                            archive + ": entry outside its folder: " + entry.getName());
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(out);
                } else if (entry.isSymbolicLink()) {
                    Files.createDirectories(out.getParent());
                    Files.createSymbolicLink(out, Path.of(entry.getLinkName()));
                } else {
                    Files.createDirectories(out.getParent());
                    bytes += Files.copy(tar, out, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
        return bytes;
    }

    private static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // Best effort: a leftover partial folder under /tmp does no harm.
        }
    }
}
