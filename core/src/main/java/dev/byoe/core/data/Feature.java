package dev.byoe.core.data;

import java.util.Objects;

/** One input column of the model, in training order. */
public record Feature(String name, FeatureKind kind) {
    public Feature {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(kind, "kind");
    }
}
