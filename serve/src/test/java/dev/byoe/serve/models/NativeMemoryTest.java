package dev.byoe.serve.models;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.foreign.Arena;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class NativeMemoryTest {
    /**
     * Arena memory comes from malloc. The count is the whole process's, and other threads (the
     * JIT's, the test runner's) take and give back memory of the same allocator meanwhile: a few MB
     * usually, hence the margins, but once 14 MB in a fresh-clone CI run. So the allocation is
     * measured up to three times, and one measurement must see all of it come and go within the
     * margins; a counter that does not count fails every time.
     */
    @Test
    void countsWhatTheCAllocatorHandsOutAndTakesBack() {
        assumeTrue(NativeMemory.available(), "this C library has no mallinfo2 (not glibc)");
        List<String> misses = new ArrayList<>();
        for (int attempt = 0; attempt < 3; attempt++) {
            long before = NativeMemory.inUse();
            long held;
            try (Arena arena = Arena.ofConfined()) {
                arena.allocate(64L << 20);
                held = NativeMemory.inUse() - before;
            }
            long after = NativeMemory.inUse() - before;
            if (held >= 56L << 20 && held - after >= 56L << 20) {
                return;
            }
            misses.add("64 MB allocated, counted " + held + ", given back " + (held - after));
        }
        fail(String.join("; ", misses));
    }
}
