package dev.byoe.serve.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HeapSizeTest {
    record Pair(float[] left, float[] right) {}

    record Tree(String label, Map<String, double[]> leaves, List<int[]> paths) {}

    @Test
    void aPrimitiveArrayIsItsHeaderAndElementsAligned() {
        long header = HeapSize.of(new long[0]);
        assertTrue(header == 16 || header == 24, "array header: " + header);
        assertEquals(header + 8000, HeapSize.of(new long[1000]));
        assertEquals(header + 4000, HeapSize.of(new float[1000]));
        // 1001 bytes round up to the next multiple of 8.
        assertEquals(align(header + 1001), HeapSize.of(new byte[1001]));
    }

    @Test
    void anArrayReachedTwiceIsCountedOnce() {
        float[] shared = new float[10_000];
        long one = HeapSize.of(new Pair(shared, new float[0]));
        long twice = HeapSize.of(new Pair(shared, shared));
        assertEquals(HeapSize.of(new float[0]), one - twice, "only the empty array differs");
        assertTrue(one > 40_000);
    }

    @Test
    void aGraphCountsWhatItsCollectionsAndStringsHold() {
        Map<String, double[]> leaves = new HashMap<>();
        for (int i = 0; i < 100; i++) {
            leaves.put("leaf-" + i, new double[64]);
        }
        Tree tree = new Tree("a tree", leaves, List.of(new int[256], new int[256]));
        long bytes = HeapSize.of(tree);
        long arrays = 100 * HeapSize.of(new double[64]) + 2 * HeapSize.of(new int[256]);
        assertTrue(bytes > arrays, bytes + " must hold the arrays' " + arrays + " bytes");
        // Keys, nodes, the table and the record add little beside the arrays.
        assertTrue(bytes < arrays + 20_000, bytes + " vs " + arrays);
    }

    @Test
    void sharedRuntimeObjectsAreNotCharged() {
        assertEquals(0, HeapSize.of(String.class));
        assertEquals(0, HeapSize.of(Thread.currentThread()));
    }

    private static long align(long n) {
        return (n + 7) / 8 * 8;
    }
}
