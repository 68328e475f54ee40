package dev.byoe.jobs.tune;

import java.util.List;
import java.util.Locale;

/**
 * One tuned hyperparameter, as in SageMaker's {@code ParameterRanges}; values are strings, as
 * trials receive them.
 */
public sealed interface ParameterRange {
    String name();

    /** The hyperparameter value at {@code u} in [0, 1]. */
    String valueAt(double u);

    record Continuous(String name, double min, double max, Scaling scaling)
            implements ParameterRange {
        @Override
        public String valueAt(double u) {
            // Never the exact ends: an open bound of the trainer (eta in (0, 1]) must not fail a
            // trial on a range 0..1.
            double inside = Math.min(1 - 1e-9, Math.max(1e-9, u));
            double v = Math.min(max, Math.max(min, scaling.fromUnit(inside, min, max)));
            // Plain decimal with enough digits for log-scaled ranges near zero; no exponent for the
            // trainer's parser.
            return new java.math.BigDecimal(v)
                    .round(new java.math.MathContext(6))
                    .stripTrailingZeros()
                    .toPlainString();
        }
    }

    record Integer(String name, long min, long max, Scaling scaling) implements ParameterRange {
        @Override
        public String valueAt(double u) {
            // Each integer owns an equal share of the scaled interval [min - 0.5, max + 0.5]
            // (linear case).
            double lo = scaling == Scaling.LINEAR ? min - 0.499999 : min;
            double hi = scaling == Scaling.LINEAR ? max + 0.499999 : max;
            long v = Math.round(scaling.fromUnit(clamp(u), lo, hi));
            return Long.toString(Math.min(max, Math.max(min, v)));
        }
    }

    record Categorical(String name, List<String> values) implements ParameterRange {
        @Override
        public String valueAt(double u) {
            int i = (int) Math.floor(clamp(u) * values.size());
            return values.get(Math.min(values.size() - 1, i));
        }

        /**
         * The unit value in the middle of the i-th value's share, so {@link #valueAt} gives it
         * back.
         */
        public double unitOf(int i) {
            return (i + 0.5) / values.size();
        }
    }

    private static double clamp(double u) {
        return Math.min(1, Math.max(0, u));
    }

    static String describe(ParameterRange r) {
        return switch (r) {
            case Continuous c ->
                    String.format(
                            Locale.ROOT,
                            "%s Continuous [%s, %s] %s",
                            c.name(),
                            c.min(),
                            c.max(),
                            c.scaling());
            case Integer i ->
                    String.format(
                            Locale.ROOT,
                            "%s Integer [%d, %d] %s",
                            i.name(),
                            i.min(),
                            i.max(),
                            i.scaling());
            case Categorical c -> c.name() + " Categorical " + c.values();
        };
    }
}
