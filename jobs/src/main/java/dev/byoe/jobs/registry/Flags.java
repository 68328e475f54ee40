package dev.byoe.jobs.registry;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** {@code --name value} pairs of a command line, checked against the names a command takes. */
public final class Flags {
    private final Map<String, String> values = new LinkedHashMap<>();

    private Flags() {}

    /**
     * @throws IllegalArgumentException naming the unknown flag or the flag missing its value
     */
    public static Flags parse(String[] args, int from, Set<String> allowed) {
        Flags f = new Flags();
        for (int i = from; i < args.length; i++) {
            String a = args[i];
            if (!a.startsWith("--") || !allowed.contains(a.substring(2))) {
                throw new IllegalArgumentException(
                        "unknown option '"
                                + a
                                + "' (options: --"
                                + String.join(", --", allowed)
                                + ")");
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("option " + a + " needs a value");
            }
            f.values.put(a.substring(2), args[++i]);
        }
        return f;
    }

    public String get(String name, String fallback) {
        return values.getOrDefault(name, fallback);
    }

    public String require(String name) {
        String v = values.get(name);
        if (v == null || v.isBlank()) {
            throw new IllegalArgumentException("option --" + name + " is required");
        }
        return v;
    }

    public boolean has(String name) {
        return values.containsKey(name);
    }
}
