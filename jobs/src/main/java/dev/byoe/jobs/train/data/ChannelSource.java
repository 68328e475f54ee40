package dev.byoe.jobs.train.data;

import dev.byoe.core.JobFailure;
import dev.byoe.core.io.Compressed;
import dev.byoe.jobs.contract.ChannelConfig;
import dev.byoe.jobs.contract.MlPaths;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/** One readable input of a channel: a file, or the Pipe-mode FIFO. */
public final class ChannelSource {
    private final String channel;
    private final Path path;
    private final String displayName;
    private DigestInputStream digest;
    private CountingStream counter;

    private ChannelSource(String channel, Path path, String displayName) {
        this.channel = channel;
        this.path = path;
        this.displayName = displayName;
    }

    /**
     * One file produced inside the job (e.g. by parsing raw logs), read as if it came in on {@code
     * channel}.
     */
    public static ChannelSource file(String channel, Path file) {
        return new ChannelSource(channel, file, channel + "/" + file.getFileName());
    }

    /** The channel's inputs in a stable order; fails when there are none. */
    public static List<ChannelSource> of(MlPaths paths, ChannelConfig config) {
        String name = config.name();
        if (config.isPipe()) {
            Path fifo = paths.pipe(name, 0);
            if (!Files.exists(fifo)) {
                throw new JobFailure(
                        "channel '" + name + "' is in Pipe mode but " + fifo + " does not exist");
            }
            return List.of(new ChannelSource(name, fifo, name + "_0"));
        }
        Path dir = paths.channel(name);
        if (!Files.isDirectory(dir)) {
            throw new JobFailure("channel '" + name + "' has no data folder " + dir);
        }
        List<ChannelSource> sources;
        try (Stream<Path> s = Files.walk(dir)) {
            sources =
                    s.filter(Files::isRegularFile)
                            .filter(p -> !p.getFileName().toString().startsWith("."))
                            .sorted()
                            .map(p -> new ChannelSource(name, p, name + "/" + dir.relativize(p)))
                            .toList();
        } catch (IOException e) {
            throw new JobFailure("cannot list channel folder " + dir + ": " + e.getMessage(), e);
        }
        if (sources.isEmpty()) {
            throw new JobFailure("channel '" + name + "' has no files in " + dir);
        }
        return sources;
    }

    /** Opens the input, unzipping it when it starts with the gzip magic bytes. */
    public InputStream open() throws IOException {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        counter = new CountingStream(Files.newInputStream(path));
        digest = new DigestInputStream(counter, sha);
        return Compressed.open(digest);
    }

    /**
     * What the model's provenance records of this input: its name, bytes read and SHA-256 (once
     * read).
     */
    public java.util.Map<String, Object> provenance() {
        java.util.Map<String, Object> f = new java.util.LinkedHashMap<>();
        f.put("name", displayName());
        f.put("bytes", bytesRead());
        f.put("sha256", sha256());
        return f;
    }

    public String channel() {
        return channel;
    }

    /** {@code channel/relative/path} as shown in messages. */
    public String displayName() {
        return displayName;
    }

    /** SHA-256 of the bytes read so far (the whole file once it has been read). */
    public String sha256() {
        return digest == null ? null : HexFormat.of().formatHex(digest.getMessageDigest().digest());
    }

    public long bytesRead() {
        return counter == null ? 0 : counter.count;
    }

    private static final class CountingStream extends java.io.FilterInputStream {
        long count;

        CountingStream(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                count += n;
            }
            return n;
        }
    }
}
