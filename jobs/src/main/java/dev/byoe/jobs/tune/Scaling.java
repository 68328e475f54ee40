package dev.byoe.jobs.tune;

/**
 * SageMaker's {@code ScalingType}: how a numeric range is mapped to the unit interval that the
 * strategies search. {@code Auto} is resolved to {@code Linear} here (SageMaker picks a scale by
 * itself; linear is the choice that never rejects a range).
 */
public enum Scaling {
    LINEAR,
    LOGARITHMIC,
    REVERSE_LOGARITHMIC;

    public static Scaling fromSageMaker(String value) {
        return switch (value) {
            case "Auto", "Linear" -> LINEAR;
            case "Logarithmic" -> LOGARITHMIC;
            case "ReverseLogarithmic" -> REVERSE_LOGARITHMIC;
            default ->
                    throw new IllegalArgumentException(
                            "ScalingType '"
                                    + value
                                    + "' is not one of Auto, Linear, Logarithmic, ReverseLogarithmic");
        };
    }

    /** The value at {@code u} in [0, 1] of the range [min, max]. */
    public double fromUnit(double u, double min, double max) {
        return switch (this) {
            case LINEAR -> min + u * (max - min);
            case LOGARITHMIC -> Math.exp(Math.log(min) + u * (Math.log(max) - Math.log(min)));
            // Dense near max, for values such as momentum close to 1: log scale on 1 - x.
            case REVERSE_LOGARITHMIC ->
                    1
                            - Math.exp(
                                    Math.log(1 - max)
                                            + (1 - u) * (Math.log(1 - min) - Math.log(1 - max)));
        };
    }

    /** Inverse of {@link #fromUnit}. */
    public double toUnit(double value, double min, double max) {
        if (max == min) {
            return 0;
        }
        return switch (this) {
            case LINEAR -> (value - min) / (max - min);
            case LOGARITHMIC -> (Math.log(value) - Math.log(min)) / (Math.log(max) - Math.log(min));
            case REVERSE_LOGARITHMIC ->
                    1
                            - (Math.log(1 - value) - Math.log(1 - max))
                                    / (Math.log(1 - min) - Math.log(1 - max));
        };
    }
}
