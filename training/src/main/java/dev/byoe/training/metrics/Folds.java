package dev.byoe.training.metrics;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Splits row indices into k folds with a seeded shuffle; for classifiers each class is dealt
 * round-robin over the folds so that every fold has about the same class mix.
 */
public final class Folds {
    private Folds() {}

    /** Held-out rows of each fold, sorted ascending. */
    public static int[][] heldOut(double[] labels, boolean stratify, int k, long seed) {
        int n = labels.length;
        if (k < 2 || k > n) {
            throw new IllegalArgumentException("cannot make " + k + " folds of " + n + " rows");
        }
        Random random = new Random(seed);
        List<List<Integer>> groups = new ArrayList<>();
        if (stratify) {
            int classes = 0;
            for (double l : labels) {
                classes = Math.max(classes, (int) l + 1);
            }
            for (int c = 0; c < classes; c++) {
                groups.add(new ArrayList<>());
            }
            for (int i = 0; i < n; i++) {
                groups.get((int) labels[i]).add(i);
            }
        } else {
            List<Integer> all = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                all.add(i);
            }
            groups.add(all);
        }
        List<List<Integer>> folds = new ArrayList<>();
        for (int f = 0; f < k; f++) {
            folds.add(new ArrayList<>());
        }
        int next = 0;
        for (List<Integer> g : groups) {
            java.util.Collections.shuffle(g, random);
            for (int idx : g) {
                folds.get(next).add(idx);
                next = (next + 1) % k;
            }
        }
        int[][] out = new int[k][];
        for (int f = 0; f < k; f++) {
            out[f] = folds.get(f).stream().mapToInt(Integer::intValue).sorted().toArray();
        }
        return out;
    }

    /** All rows not in {@code heldOut}, ascending. */
    public static int[] complement(int n, int[] heldOut) {
        boolean[] out = new boolean[n];
        for (int i : heldOut) {
            out[i] = true;
        }
        int[] rest = new int[n - heldOut.length];
        int j = 0;
        for (int i = 0; i < n; i++) {
            if (!out[i]) {
                rest[j++] = i;
            }
        }
        return rest;
    }
}
