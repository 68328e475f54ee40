package dev.byoe.training.anomaly.deeplog;

import dev.byoe.model.anomaly.deeplog.Windows;

/** Distinct windows: inputs, per-row next-event distribution and occurrence count. */
public record DistinctWindows(
        int window,
        int classes,
        int[] inputs,
        float[] nextDistribution,
        float[] weight,
        long total) {
    public int count() {
        return weight.length;
    }

    /**
     * The same rows with every weight above {@code factor} times the mean split into equal parts:
     * the summed loss is unchanged, but no minibatch is dominated by one very common window (which
     * makes minibatch gradients, and Adam's moments, jump).
     */
    DistinctWindows balanced(double factor) {
        double cap = factor * total / count();
        int rows = 0;
        int[] parts = new int[count()];
        for (int r = 0; r < count(); r++) {
            parts[r] = (int) Math.max(1, Math.ceil(weight[r] / cap));
            rows += parts[r];
        }
        int[] in = new int[rows * window];
        float[] dist = new float[rows * classes];
        float[] w = new float[rows];
        int o = 0;
        for (int r = 0; r < count(); r++) {
            for (int p = 0; p < parts[r]; p++, o++) {
                System.arraycopy(inputs, r * window, in, o * window, window);
                System.arraycopy(nextDistribution, r * classes, dist, o * classes, classes);
                w[o] = weight[r] / parts[r];
            }
        }
        return new DistinctWindows(window, classes, in, dist, w, total);
    }

    /** The windows of {@code w} grouped by input, each with its next-event distribution. */
    static DistinctWindows of(Windows w, int classes) {
        int window = w.window;
        int count = w.count;
        int[] inputs = w.inputs;
        int[] next = w.next;
        java.util.Map<WindowKey, float[]> counts = new java.util.LinkedHashMap<>();
        for (int i = 0; i < count; i++) {
            int[] key = java.util.Arrays.copyOfRange(inputs, i * window, (i + 1) * window);
            counts.computeIfAbsent(new WindowKey(key), k -> new float[classes])[next[i]]++;
        }
        int n = counts.size();
        int[] in = new int[n * window];
        float[] dist = new float[n * classes];
        float[] weight = new float[n];
        int r = 0;
        for (var e : counts.entrySet()) {
            System.arraycopy(e.getKey().ids(), 0, in, r * window, window);
            float total = 0;
            for (float c : e.getValue()) {
                total += c;
            }
            for (int c = 0; c < classes; c++) {
                dist[r * classes + c] = e.getValue()[c] / total;
            }
            weight[r++] = total;
        }
        return new DistinctWindows(window, classes, in, dist, weight, count);
    }

    private record WindowKey(int[] ids) {
        @Override
        public boolean equals(Object o) {
            return o instanceof WindowKey k && java.util.Arrays.equals(ids, k.ids);
        }

        @Override
        public int hashCode() {
            return java.util.Arrays.hashCode(ids);
        }
    }
}
