package dev.byoe.training.anomaly.deeplog;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.luben.zstd.ZstdOutputStream;
import dev.byoe.model.NativeLibraries;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Nd4jNativesTest {

    /** The image's archive in small: libraries, one in a sub-folder, and a link. */
    private static Path archive(Path dir, String... extraNames) throws IOException {
        Path file = dir.resolve(Nd4jNatives.ARCHIVE);
        List<String> names = new ArrayList<>(List.of("libone.so.0", "sub/libtwo.so"));
        names.addAll(List.of(extraNames));
        try (OutputStream out = new ZstdOutputStream(Files.newOutputStream(file))) {
            write(out, names, "libone_alias.so.0", "libone.so.0");
        }
        return file;
    }

    private static void write(OutputStream out, List<String> names, String link, String linked)
            throws IOException {
        TarArchiveOutputStream tar = new TarArchiveOutputStream(out);
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        for (String name : names) {
            byte[] body = content(name);
            TarArchiveEntry entry = new TarArchiveEntry(name);
            entry.setSize(body.length);
            tar.putArchiveEntry(entry);
            tar.write(body);
            tar.closeArchiveEntry();
        }
        TarArchiveEntry entry = new TarArchiveEntry(link, TarArchiveEntry.LF_SYMLINK);
        entry.setLinkName(linked);
        tar.putArchiveEntry(entry);
        tar.closeArchiveEntry();
        tar.finish();
    }

    private static byte[] content(String name) {
        byte[] body = new byte[100_000 + name.length()];
        new Random(name.hashCode()).nextBytes(body);
        return body;
    }

    @Test
    void unpacksFilesAndLinksOnceAndThenReusesThem(@TempDir Path tmp) throws IOException {
        Path archive = archive(tmp);
        Path target = tmp.resolve("cache/nd4j-natives");

        long bytes = Nd4jNatives.unpack(archive, target);

        assertEquals(content("libone.so.0").length + content("sub/libtwo.so").length, bytes);
        assertArrayEquals(
                content("libone.so.0"), Files.readAllBytes(target.resolve("libone.so.0")));
        assertArrayEquals(
                content("sub/libtwo.so"), Files.readAllBytes(target.resolve("sub/libtwo.so")));
        assertTrue(Files.isSymbolicLink(target.resolve("libone_alias.so.0")));
        assertArrayEquals(
                content("libone.so.0"), Files.readAllBytes(target.resolve("libone_alias.so.0")));

        Files.writeString(target.resolve("marker"), "kept");
        assertEquals(0, Nd4jNatives.unpack(archive, target), "a second JVM reuses the folder");
        assertEquals("kept", Files.readString(target.resolve("marker")));
        assertEquals(List.of("nd4j-natives"), names(target.getParent()), "no partial folder left");
    }

    @Test
    void refusesAnEntryOutsideItsFolderAndLeavesNothingBehind(@TempDir Path tmp)
            throws IOException {
        Path archive = archive(tmp, "../escaped.so");
        Path target = tmp.resolve("cache/nd4j-natives");

        IOException e = assertThrows(IOException.class, () -> Nd4jNatives.unpack(archive, target));

        assertTrue(e.getMessage().contains("../escaped.so"), e.getMessage());
        assertFalse(Files.exists(target));
        assertFalse(Files.exists(tmp.resolve("cache/escaped.so")));
        assertEquals(List.of(), names(target.getParent()));
    }

    @Test
    void aDamagedArchiveFailsAndLeavesNothingBehind(@TempDir Path tmp) throws IOException {
        Path archive = archive(tmp);
        byte[] whole = Files.readAllBytes(archive);
        Files.write(archive, Arrays.copyOf(whole, whole.length / 2));
        Path target = tmp.resolve("cache/nd4j-natives");

        assertThrows(IOException.class, () -> Nd4jNatives.unpack(archive, target));

        assertFalse(Files.exists(target));
        assertEquals(List.of(), names(target.getParent()));
    }

    @Test
    void withoutTheImageArchiveTheJarsCopiesAreUsed(@TempDir Path tmp) throws Exception {
        String before = System.getProperty(NativeLibraries.DIR_PROPERTY);
        System.setProperty(NativeLibraries.DIR_PROPERTY, tmp.toString());
        try {
            List<String> log = new ArrayList<>();
            assertNull(Nd4jNatives.prepare(log::add));
            assertEquals(List.of(), log);
        } finally {
            if (before == null) {
                System.clearProperty(NativeLibraries.DIR_PROPERTY);
            } else {
                System.setProperty(NativeLibraries.DIR_PROPERTY, before);
            }
        }
    }

    private static List<String> names(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
