package dev.byoe.serve.capture;

import java.nio.file.Path;
import java.util.Map;

/**
 * Data capture settings from the environment: {@code BYOE_DATA_CAPTURE_DIR} turns it on, {@code
 * BYOE_DATA_CAPTURE_PERCENT} (0-100, default 100) samples requests, {@code BYOE_DATA_CAPTURE_QUEUE}
 * (default 10000) bounds the events waiting to be written.
 *
 * @param folder {@code null} when capture is off
 */
public record CaptureSettings(Path folder, double percent, int queue) {
    public static CaptureSettings fromEnvironment(Map<String, String> env) {
        String dir = env.get("BYOE_DATA_CAPTURE_DIR");
        double percent = number(env, "BYOE_DATA_CAPTURE_PERCENT", 100, 0, 100);
        double queue = number(env, "BYOE_DATA_CAPTURE_QUEUE", 10_000, 1, 10_000_000);
        if (queue != Math.rint(queue)) {
            throw new IllegalArgumentException(
                    "BYOE_DATA_CAPTURE_QUEUE="
                            + env.get("BYOE_DATA_CAPTURE_QUEUE")
                            + " must be a whole number");
        }
        return new CaptureSettings(
                dir == null || dir.isBlank() ? null : Path.of(dir), percent, (int) queue);
    }

    boolean enabled() {
        return folder != null && percent > 0;
    }

    private static double number(
            Map<String, String> env, String name, double def, double min, double max) {
        String v = env.get(name);
        if (v == null || v.isBlank()) {
            return def;
        }
        try {
            double d = Double.parseDouble(v.strip());
            if (!(d >= min && d <= max)) {
                throw new NumberFormatException();
            }
            return d;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    name
                            + "="
                            + v
                            + " must be a number in ["
                            + (long) min
                            + ", "
                            + (long) max
                            + "]");
        }
    }
}
