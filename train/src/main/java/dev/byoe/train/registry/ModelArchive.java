package dev.byoe.train.registry;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;

/**
 * Packs a model folder as {@code model.tar.gz}, the single gzipped tar SageMaker downloads and
 * unpacks into {@code /opt/ml/model}. Files sit at the archive's root (no leading folder), as
 * SageMaker expects. Plain POSIX ustar: byoe's model files are regular files with short names.
 */
public final class ModelArchive {
    private static final int BLOCK = 512;

    private ModelArchive() {}

    public static void pack(Path folder, Path archive) throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.walk(folder)) {
            files = s.filter(Files::isRegularFile).sorted().toList();
        }
        Files.createDirectories(archive.toAbsolutePath().getParent());
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(archive))) {
            for (Path f : files) {
                String name = folder.relativize(f).toString().replace('\\', '/');
                long size = Files.size(f);
                out.write(header(name, size, Files.getLastModifiedTime(f).toMillis() / 1000));
                Files.copy(f, out);
                int pad = (int) ((BLOCK - size % BLOCK) % BLOCK);
                out.write(new byte[pad]);
            }
            out.write(new byte[2 * BLOCK]); // end-of-archive marker
        }
    }

    private static byte[] header(String name, long size, long mtime) throws IOException {
        byte[] h = new byte[BLOCK];
        byte[] n = name.getBytes(StandardCharsets.UTF_8);
        String prefix = "";
        if (n.length > 100) {
            // ustar splits long names at a '/' into prefix (155) and name (100).
            int cut = name.lastIndexOf('/', 155);
            if (cut <= 0 || name.length() - cut - 1 > 100) {
                throw new IOException("file name too long for the model archive: " + name);
            }
            prefix = name.substring(0, cut);
            n = name.substring(cut + 1).getBytes(StandardCharsets.UTF_8);
        }
        System.arraycopy(n, 0, h, 0, n.length);
        octal(h, 100, 8, 0644);
        octal(h, 108, 8, 0);
        octal(h, 116, 8, 0);
        octal(h, 124, 12, size);
        octal(h, 136, 12, mtime);
        java.util.Arrays.fill(h, 148, 156, (byte) ' ');
        h[156] = '0';
        System.arraycopy("ustar\u000000".getBytes(StandardCharsets.US_ASCII), 0, h, 257, 8);
        byte[] p = prefix.getBytes(StandardCharsets.UTF_8);
        System.arraycopy(p, 0, h, 345, p.length);
        long sum = 0;
        for (byte b : h) {
            sum += b & 0xff;
        }
        octal(h, 148, 7, sum);
        return h;
    }

    private static void octal(byte[] h, int offset, int length, long value) {
        String s = Long.toOctalString(value);
        String padded = "0".repeat(Math.max(0, length - 1 - s.length())) + s;
        byte[] b = padded.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(b, 0, h, offset, b.length);
    }
}
