package dev.byoe.core.data;

import java.util.Locale;

/** What the ensemble learns to predict. */
public enum Objective {
    REGRESSION,
    BINARY,
    MULTICLASS;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public boolean isClassification() {
        return this != REGRESSION;
    }

    public static Objective fromId(String id) {
        for (Objective o : values()) {
            if (o.id().equals(id)) {
                return o;
            }
        }
        throw new IllegalArgumentException(
                "unknown objective '" + id + "' (expected regression, binary or multiclass)");
    }
}
