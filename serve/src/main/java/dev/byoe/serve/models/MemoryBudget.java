package dev.byoe.serve.models;

import java.lang.management.ManagementFactory;
import java.util.Map;

/**
 * How much memory the models of a multi-model endpoint may hold together: {@code
 * BYOE_MODEL_MEMORY_MB} (fractions allowed), else {@code BYOE_MODEL_MEMORY_PERCENT} (default 40) of
 * the container's memory (its cgroup limit, else the machine's). The Java heap parts of the models
 * may also take at most half the heap, the other half being the invocations' working memory ({@code
 * BYOE_MAX_WORKING_MB} defaults to that half too).
 *
 * <p>Why 40%: serving sizes the heap at half the container (docker/entrypoint.sh), the JVM, its
 * code and thread stacks take 100–200 MB beside it, and the models' native parts (XGBoost's and
 * CatBoost's trees) live outside the heap; 40% keeps heap, runtime and native models under the
 * limit together.
 */
public record MemoryBudget(long bytes, long heapBytes, String source) {
    static final int DEFAULT_PERCENT = 40;

    public static MemoryBudget fromEnvironment(Map<String, String> env) {
        long container =
                ((com.sun.management.OperatingSystemMXBean)
                                ManagementFactory.getOperatingSystemMXBean())
                        .getTotalMemorySize();
        long heap = Runtime.getRuntime().maxMemory() / 2;
        String mb = env.get("BYOE_MODEL_MEMORY_MB");
        if (mb != null && !mb.isBlank()) {
            double v = number("BYOE_MODEL_MEMORY_MB", mb, 0.001, 1 << 24);
            return new MemoryBudget(
                    (long) (v * (1 << 20)), heap, "BYOE_MODEL_MEMORY_MB=" + mb.strip());
        }
        String pct = env.get("BYOE_MODEL_MEMORY_PERCENT");
        double percent =
                pct == null || pct.isBlank()
                        ? DEFAULT_PERCENT
                        : number("BYOE_MODEL_MEMORY_PERCENT", pct, 1, 100);
        return new MemoryBudget(
                (long) (container * percent / 100),
                heap,
                String.format(
                        java.util.Locale.ROOT,
                        "%s%% of the container's %d MB",
                        new java.math.BigDecimal(Double.toString(percent))
                                .stripTrailingZeros()
                                .toPlainString(),
                        container >> 20));
    }

    private static double number(String name, String value, double min, double max) {
        try {
            double v = Double.parseDouble(value.strip());
            if (v >= min && v <= max) {
                return v;
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw new IllegalArgumentException(
                name + "=" + value + " must be a number in [" + min + ", " + max + "]");
    }
}
