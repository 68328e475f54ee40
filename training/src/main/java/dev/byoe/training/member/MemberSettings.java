package dev.byoe.training.member;

import dev.byoe.core.data.Objective;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Everything a member's trainer is configured with: the objective, the seed, the CPU threads it may
 * use, and its own hyperparameters, already typed and validated against its definitions.
 */
public record MemberSettings(
        Objective objective, long seed, int threads, Map<String, Object> hyperparameters) {
    public MemberSettings {
        hyperparameters = Collections.unmodifiableMap(new LinkedHashMap<>(hyperparameters));
    }

    public long getLong(String name) {
        return ((Number) require(name)).longValue();
    }

    public int getInt(String name) {
        return Math.toIntExact(getLong(name));
    }

    public double getDouble(String name) {
        return ((Number) require(name)).doubleValue();
    }

    public String getString(String name) {
        return (String) require(name);
    }

    public boolean has(String name) {
        return hyperparameters.get(name) != null;
    }

    private Object require(String name) {
        Object v = hyperparameters.get(name);
        if (v == null) {
            throw new IllegalStateException("hyperparameter " + name + " has no value");
        }
        return v;
    }
}
