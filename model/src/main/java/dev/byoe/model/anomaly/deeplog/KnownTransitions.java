package dev.byoe.model.anomaly.deeplog;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Every (window, next event) pair the normal training sessions contain, the end of a session
 * included. An LSTM trained by cross-entropy gives a pair that is rare in training a low
 * probability, so top-g flags it: on DeepLog's HDFS keys about a quarter of the false positives
 * were normal sessions whose exact sequence is in the training file. A transition that normal
 * training sessions make is normal by definition of the training data, so the detector never counts
 * it as a miss; the LSTM decides only the transitions training never showed. This is the exact form
 * of what the LSTM approximates, kept for the pairs it was told about.
 *
 * <p>Stored as sorted 64-bit hashes (8 bytes per distinct pair). A collision would let one unseen
 * pair pass as known; with a million pairs kept, the chance for a given unseen pair is about 5e-14.
 */
public final class KnownTransitions {
    private static final byte[] MAGIC = "ktr1".getBytes(StandardCharsets.US_ASCII);

    private final long[] sorted;

    private KnownTransitions(long[] sorted) {
        this.sorted = sorted;
    }

    /** The distinct pairs of these windows (built from the normal training sessions). */
    public static KnownTransitions of(Windows windows) {
        long[] keys = new long[windows.count];
        for (int w = 0; w < windows.count; w++) {
            keys[w] = key(windows.inputs, w * windows.window, windows.window, windows.next[w]);
        }
        Arrays.sort(keys);
        int n = 0;
        for (int i = 0; i < keys.length; i++) {
            if (i == 0 || keys[i] != keys[i - 1]) {
                keys[n++] = keys[i];
            }
        }
        return new KnownTransitions(Arrays.copyOf(keys, n));
    }

    /** Whether the window at {@code inputs[offset..offset+h)} followed by {@code next} is known. */
    public boolean contains(int[] inputs, int offset, int h, int next) {
        return Arrays.binarySearch(sorted, key(inputs, offset, h, next)) >= 0;
    }

    /** Distinct pairs kept. */
    public int size() {
        return sorted.length;
    }

    /** Mixes the ids in order (SplitMix64's finaliser after each), so order and length matter. */
    static long key(int[] inputs, int offset, int h, int next) {
        long x = 0x9E3779B97F4A7C15L * (h + 1);
        for (int k = 0; k < h; k++) {
            x = mix(x ^ (inputs[offset + k] + 1L));
        }
        return mix(x ^ (((long) next + 1L) << 32));
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    public void write(OutputStream stream) throws IOException {
        DataOutputStream out = new DataOutputStream(stream);
        out.write(MAGIC);
        out.writeInt(sorted.length);
        for (long k : sorted) {
            out.writeLong(k);
        }
        out.flush();
    }

    /** Reads what {@link #write} wrote, {@code bytes} long (checked before anything is sized). */
    public static KnownTransitions read(InputStream stream, long bytes) throws IOException {
        DataInputStream in = new DataInputStream(stream);
        byte[] magic = in.readNBytes(MAGIC.length);
        if (!Arrays.equals(magic, MAGIC)) {
            throw new IOException("not a byoe known-transitions file");
        }
        int n = in.readInt();
        if (n < 0 || MAGIC.length + 4 + 8L * n != bytes) {
            throw new IOException(
                    "known-transitions file: "
                            + n
                            + " keys do not fit its "
                            + bytes
                            + " bytes (truncated or damaged)");
        }
        long[] keys = new long[n];
        for (int i = 0; i < n; i++) {
            keys[i] = in.readLong();
            if (i > 0 && keys[i] <= keys[i - 1]) {
                throw new IOException("known-transitions file: keys not sorted");
            }
        }
        return new KnownTransitions(keys);
    }
}
