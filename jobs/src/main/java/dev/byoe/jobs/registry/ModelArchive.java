package dev.byoe.jobs.registry;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;

/**
 * Packs a model folder as {@code model.tar.gz}, the single gzipped tar SageMaker downloads and
 * unpacks into {@code /opt/ml/model}. Files sit at the archive's root (no leading folder), as
 * SageMaker expects, in name order; Apache Commons Compress writes the tar (POSIX headers for names
 * longer than ustar allows). Unpacking is what SageMaker does before serving.
 */
public final class ModelArchive {
    private ModelArchive() {}

    public static void pack(Path folder, Path archive) throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.walk(folder)) {
            files = s.filter(Files::isRegularFile).sorted().toList();
        }
        Files.createDirectories(archive.toAbsolutePath().getParent());
        try (TarArchiveOutputStream tar =
                new TarArchiveOutputStream(
                        new GzipCompressorOutputStream(Files.newOutputStream(archive)))) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            for (Path f : files) {
                TarArchiveEntry entry =
                        new TarArchiveEntry(
                                f.toFile(), folder.relativize(f).toString().replace('\\', '/'));
                entry.setMode(0644);
                entry.setIds(0, 0);
                entry.setNames("", "");
                tar.putArchiveEntry(entry);
                Files.copy(f, tar);
                tar.closeArchiveEntry();
            }
            tar.finish();
        }
    }

    /**
     * Unpacks {@code archive} into {@code folder}, as SageMaker unpacks a model into {@code
     * /opt/ml/model}; refuses an entry that would land outside it.
     */
    public static void unpack(Path archive, Path folder) throws IOException {
        Path target = Files.createDirectories(folder).toAbsolutePath().normalize();
        try (TarArchiveInputStream tar =
                new TarArchiveInputStream(
                        new GzipCompressorInputStream(Files.newInputStream(archive)))) {
            TarArchiveEntry entry;
            while ((entry = tar.getNextEntry()) != null) {
                Path to = target.resolve(entry.getName()).normalize();
                if (!to.startsWith(target)) {
                    throw new IOException(
                            archive
                                    + ": entry "
                                    + entry.getName()
                                    + " would land outside "
                                    + folder);
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(to);
                } else if (entry.isFile()) {
                    Files.createDirectories(to.getParent());
                    Files.copy(tar, to, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }
}
