package dev.byoe.serve.models;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.Optional;

/**
 * Bytes the C allocator has handed out and not taken back, across every thread: glibc's {@code
 * mallinfo2} (in-use bytes of every arena plus mmap'ed blocks). XGBoost's and CatBoost's models
 * live there. Where the C library has no {@code mallinfo2} (not glibc, or glibc before 2.33) it
 * reports nothing.
 */
final class NativeMemory {
    private static final long HBLKHD = 4 * Long.BYTES;
    private static final long UORDBLKS = 7 * Long.BYTES;
    private static final MethodHandle MALLINFO2 = find();

    private NativeMemory() {}

    /** Whether this C library reports its allocations. */
    static boolean available() {
        return MALLINFO2 != null;
    }

    /**
     * The one buffer {@code mallinfo2} writes into: allocating one per call would itself be
     * counted.
     */
    private static final MemorySegment INFO = Arena.global().allocate(10 * Long.BYTES, Long.BYTES);

    /** Bytes handed out by the C allocator and in use now; 0 when not {@link #available()}. */
    static synchronized long inUse() {
        if (MALLINFO2 == null) {
            return 0;
        }
        try {
            MemorySegment info = (MemorySegment) MALLINFO2.invokeExact((SegmentAllocator) FILL);
            return info.get(ValueLayout.JAVA_LONG, UORDBLKS)
                    + info.get(ValueLayout.JAVA_LONG, HBLKHD);
        } catch (Throwable e) {
            return 0;
        }
    }

    /** Hands {@link #INFO} to the call for its result, every time. */
    private static final SegmentAllocator FILL = (size, alignment) -> INFO;

    private static MethodHandle find() {
        try {
            Linker linker = Linker.nativeLinker();
            Optional<MemorySegment> symbol = linker.defaultLookup().find("mallinfo2");
            if (symbol.isEmpty()) {
                return null;
            }
            // struct mallinfo2: ten size_t fields.
            MemoryLayout struct =
                    MemoryLayout.structLayout(
                            MemoryLayout.sequenceLayout(10, ValueLayout.JAVA_LONG));
            return linker.downcallHandle(symbol.get(), FunctionDescriptor.of(struct));
        } catch (RuntimeException | LinkageError e) {
            return null;
        }
    }
}
