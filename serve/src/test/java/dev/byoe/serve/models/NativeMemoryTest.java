package dev.byoe.serve.models;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.foreign.Arena;
import org.junit.jupiter.api.Test;

class NativeMemoryTest {
    @Test
    void countsWhatTheCAllocatorHandsOutAndTakesBack() {
        assumeTrue(NativeMemory.available(), "this C library has no mallinfo2 (not glibc)");
        long before = NativeMemory.inUse();
        long held;
        // Arena memory comes from malloc. Other threads (the JIT's) take and give back a few MB of
        // the same allocator meanwhile, hence the margins.
        try (Arena arena = Arena.ofConfined()) {
            arena.allocate(64L << 20);
            held = NativeMemory.inUse() - before;
        }
        long after = NativeMemory.inUse() - before;
        assertTrue(held >= 56L << 20, "64 MB allocated, counted " + held);
        assertTrue(held - after >= 56L << 20, "and given back: " + (held - after));
    }
}
