package dev.byoe.training.member;

import java.util.List;
import java.util.Locale;

/**
 * One hyperparameter: its type, allowed range or choices, and default. Parses the string value
 * SageMaker hands over (every hyperparameter arrives as a string) into a typed value, or says
 * exactly why it cannot.
 */
public record HyperparameterDefinition(
        String name,
        Type type,
        Double min,
        boolean minExclusive,
        Double max,
        List<String> choices,
        String defaultValue,
        String description) {

    public enum Type {
        INTEGER,
        CONTINUOUS,
        CATEGORICAL,
        TEXT
    }

    public static HyperparameterDefinition integer(
            String name, long min, long max, Long def, String description) {
        return new HyperparameterDefinition(
                name,
                Type.INTEGER,
                (double) min,
                false,
                (double) max,
                List.of(),
                def == null ? null : Long.toString(def),
                description);
    }

    public static HyperparameterDefinition continuous(
            String name,
            double min,
            boolean minExclusive,
            double max,
            Double def,
            String description) {
        return new HyperparameterDefinition(
                name,
                Type.CONTINUOUS,
                min,
                minExclusive,
                max,
                List.of(),
                def == null ? null : Double.toString(def),
                description);
    }

    public static HyperparameterDefinition categorical(
            String name, List<String> choices, String def, String description) {
        return new HyperparameterDefinition(
                name, Type.CATEGORICAL, null, false, null, List.copyOf(choices), def, description);
    }

    public static HyperparameterDefinition text(String name, String def, String description) {
        return new HyperparameterDefinition(
                name, Type.TEXT, null, false, null, List.of(), def, description);
    }

    /** The same definition under another name (member-prefixed overrides). */
    public HyperparameterDefinition renamed(String newName) {
        return new HyperparameterDefinition(
                newName, type, min, minExclusive, max, choices, defaultValue, description);
    }

    /**
     * Parses {@code raw} into a {@code Long}, {@code Double} or {@code String}.
     *
     * @throws InvalidHyperparameterException naming the parameter, the value and the allowed range
     */
    public Object parse(String raw) {
        String v = raw.strip();
        switch (type) {
            case INTEGER -> {
                long parsed;
                try {
                    // Tuners send integers as "6" but some tools write "6.0".
                    double d = Double.parseDouble(v);
                    if (d != Math.rint(d) || Double.isInfinite(d)) {
                        throw new NumberFormatException();
                    }
                    parsed = (long) d;
                } catch (NumberFormatException e) {
                    throw new InvalidHyperparameterException(
                            name, raw, "must be an integer" + rangeText());
                }
                checkRange(raw, parsed);
                return parsed;
            }
            case CONTINUOUS -> {
                double parsed;
                try {
                    parsed = Double.parseDouble(v);
                } catch (NumberFormatException e) {
                    throw new InvalidHyperparameterException(
                            name, raw, "must be a number" + rangeText());
                }
                if (!Double.isFinite(parsed)) {
                    throw new InvalidHyperparameterException(
                            name, raw, "must be a finite number" + rangeText());
                }
                checkRange(raw, parsed);
                return parsed;
            }
            case CATEGORICAL -> {
                for (String c : choices) {
                    if (c.equalsIgnoreCase(v)) {
                        return c;
                    }
                }
                throw new InvalidHyperparameterException(name, raw, "must be one of " + choices);
            }
            default -> {
                return v;
            }
        }
    }

    private void checkRange(String raw, double value) {
        boolean below = min != null && (minExclusive ? value <= min : value < min);
        boolean above = max != null && value > max;
        if (below || above) {
            throw new InvalidHyperparameterException(name, raw, "is out of range" + rangeText());
        }
    }

    private String rangeText() {
        if (min == null && max == null) {
            return "";
        }
        String lo = min == null ? "-inf" : format(min);
        String hi = max == null ? "+inf" : format(max);
        return " in " + (minExclusive ? "(" : "[") + lo + ", " + hi + "]";
    }

    private String format(double d) {
        return d == Math.rint(d) && Math.abs(d) < 1e15
                ? Long.toString((long) d)
                : String.format(Locale.ROOT, "%s", d);
    }
}
