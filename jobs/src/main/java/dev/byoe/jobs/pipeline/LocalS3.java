package dev.byoe.jobs.pipeline;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * A folder standing in for S3: {@code s3://bucket/key} is {@code <root>/s3/bucket/key}. A URI names
 * objects as S3 does, by key prefix: {@code s3://b/data/train} holds {@code data/train.csv} and
 * everything under {@code data/train/}.
 */
public record LocalS3(Path root) {
    public Path path(String uri) {
        if (uri.startsWith("s3://")) {
            String rest = uri.substring("s3://".length());
            if (rest.isEmpty() || rest.startsWith("/")) {
                throw new IllegalArgumentException("'" + uri + "' names no bucket");
            }
            return root.resolve("s3").resolve(rest);
        }
        if (uri.startsWith("file:")) {
            return Path.of(URI.create(uri));
        }
        throw new IllegalArgumentException("'" + uri + "' is not an s3:// URI");
    }

    /** The URI of a path under the root's {@code s3} folder. */
    public String uri(Path path) {
        Path s3 = root.resolve("s3").toAbsolutePath().normalize();
        Path p = path.toAbsolutePath().normalize();
        if (!p.startsWith(s3)) {
            return p.toUri().toString();
        }
        return "s3://" + s3.relativize(p).toString().replace('\\', '/');
    }

    /**
     * The objects {@code uri} names, each with its path relative to where SageMaker puts it (the
     * key after the prefix, or after its last {@code /} when it is not a folder); empty when there
     * are none.
     */
    public List<Object> objects(String uri) throws IOException {
        Path p = path(uri);
        List<Object> out = new ArrayList<>();
        if (Files.isRegularFile(p)) {
            out.add(new Object(p, p.getFileName().toString()));
            return out;
        }
        boolean folder = uri.endsWith("/") || Files.isDirectory(p);
        Path base = folder ? p : p.getParent();
        String prefix = folder ? "" : p.getFileName().toString();
        if (!Files.isDirectory(base)) {
            return out;
        }
        try (Stream<Path> files = Files.walk(base)) {
            for (Path f :
                    files.filter(Files::isRegularFile).sorted(Comparator.naturalOrder()).toList()) {
                String relative = base.relativize(f).toString().replace('\\', '/');
                if (relative.startsWith(prefix)) {
                    out.add(new Object(f, relative));
                }
            }
        }
        return out;
    }

    /** An object: its file, and its key below the named prefix's folder. */
    public record Object(Path file, String relative) {}
}
