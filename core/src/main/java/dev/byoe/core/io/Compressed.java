package dev.byoe.core.io;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

/**
 * Input files that may be gzipped, told by their content rather than their name (SageMaker channel
 * files, log files and monitor datasets arrive under any name). Multi-member gzip files, as
 * concatenated uploads make, are read whole.
 */
public final class Compressed {
    private static final int BUFFER = 1 << 16;

    private Compressed() {}

    /** {@code in} itself, or its gunzipped content when it starts with gzip's magic bytes. */
    public static InputStream open(InputStream in) throws IOException {
        BufferedInputStream buffered =
                in instanceof BufferedInputStream b ? b : new BufferedInputStream(in, BUFFER);
        byte[] head = new byte[2];
        buffered.mark(head.length);
        int n = buffered.readNBytes(head, 0, head.length);
        buffered.reset();
        return GzipCompressorInputStream.matches(head, n)
                ? new BufferedInputStream(new GzipCompressorInputStream(buffered, true), BUFFER)
                : buffered;
    }
}
