package dev.byoe.serve.models;

/**
 * What one loaded model holds, measured while it loaded: bytes of the Java heap reachable from it
 * ({@link HeapSize}) and bytes the C allocator handed out during the load and still holds ({@link
 * NativeMemory}: XGBoost's and CatBoost's trees). The runtime, the native libraries' code and the
 * JIT's code are shared by every model and not part of it.
 */
public record Footprint(long heapBytes, long nativeBytes) {
    public long bytes() {
        return heapBytes + nativeBytes;
    }

    public static String megabytes(long bytes) {
        return String.format(java.util.Locale.ROOT, "%.2f MB", bytes / 1e6);
    }
}
