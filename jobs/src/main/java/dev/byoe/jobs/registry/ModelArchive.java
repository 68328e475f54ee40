package dev.byoe.jobs.registry;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;

/**
 * Packs a model folder as {@code model.tar.gz}, the single gzipped tar SageMaker downloads and
 * unpacks into {@code /opt/ml/model}. Files sit at the archive's root (no leading folder), as
 * SageMaker expects, in name order; Apache Commons Compress writes the tar (POSIX headers for names
 * longer than ustar allows).
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
}
