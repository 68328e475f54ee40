package dev.byoe.jobs.monitor;

/** A feature's {@code inferred_type}, spelled as SageMaker's schemas spell it. */
enum FeatureType {
    Integral,
    Fractional,
    String,
    Unknown;

    boolean numeric() {
        return this == Integral || this == Fractional;
    }

    /** Whether a value of this kind is acceptable where this type was seen in the baseline. */
    boolean accepts(ValueKind kind) {
        return switch (this) {
            case Integral -> kind == ValueKind.INTEGRAL;
            case Fractional -> kind.numeric();
            case String, Unknown -> true;
        };
    }

    static FeatureType parse(java.lang.String text) {
        for (FeatureType t : values()) {
            if (t.name().equalsIgnoreCase(text)) {
                return t;
            }
        }
        return Unknown;
    }
}
