package dev.byoe.jobs.monitor;

import java.util.HashMap;
import java.util.Map;
import org.apache.datasketches.hll.HllSketch;
import org.apache.datasketches.kll.KllDoublesSketch;

/**
 * One column's running statistics, fed a cell at a time; memory stays bounded whatever the row
 * count.
 */
final class FeatureProfile {
    /** KLL accuracy parameter: about 1.3% rank error, a few KB per feature. */
    static final int KLL_K = 200;

    /**
     * Exact value counts up to this many distinct values; beyond, HLL estimates the distinct count.
     */
    static final int MAX_EXACT_VALUES = 10_000;

    final String name;
    long present;
    long integral;
    long fractional;
    long text;
    private long numbers;
    private double mean;
    private double m2;
    private double sum;
    private double min = Double.POSITIVE_INFINITY;
    private double max = Double.NEGATIVE_INFINITY;
    private final KllDoublesSketch sketch = KllDoublesSketch.newHeapInstance(KLL_K);
    private final Map<String, Long> values = new HashMap<>();
    private boolean valuesOverflow;
    private final HllSketch distinct = new HllSketch(12);

    FeatureProfile(String name) {
        this.name = name;
    }

    void add(String cell) {
        ValueKind kind = ValueKind.of(cell);
        if (kind == ValueKind.MISSING) {
            return;
        }
        present++;
        String value = cell.strip();
        switch (kind) {
            case INTEGRAL -> integral++;
            case FRACTIONAL -> fractional++;
            default -> text++;
        }
        if (kind.numeric()) {
            addNumber(Double.parseDouble(value));
        }
        distinct.update(value);
        if (values.containsKey(value) || values.size() < MAX_EXACT_VALUES) {
            values.merge(value, 1L, Long::sum);
        } else {
            valuesOverflow = true;
        }
    }

    private void addNumber(double x) {
        numbers++;
        sum += x;
        // Welford: a stable running variance in one pass.
        double delta = x - mean;
        mean += delta / numbers;
        m2 += delta * (x - mean);
        min = Math.min(min, x);
        max = Math.max(max, x);
        sketch.update(x);
    }

    /** The majority kind, integers counting as fractional numbers too. */
    FeatureType inferredType() {
        if (present == 0) {
            return FeatureType.Unknown;
        }
        if (text > integral + fractional) {
            return FeatureType.String;
        }
        return fractional > 0 ? FeatureType.Fractional : FeatureType.Integral;
    }

    long numbers() {
        return numbers;
    }

    double mean() {
        return mean;
    }

    double sum() {
        return sum;
    }

    /** Population standard deviation. */
    double stdDev() {
        return numbers == 0 ? 0 : Math.sqrt(m2 / numbers);
    }

    double min() {
        return min;
    }

    double max() {
        return max;
    }

    KllDoublesSketch sketch() {
        return sketch;
    }

    long distinctCount() {
        return valuesOverflow ? Math.round(distinct.getEstimate()) : values.size();
    }

    boolean valuesExact() {
        return !valuesOverflow;
    }

    Map<String, Long> valueCounts() {
        return values;
    }

    /** Present values this baseline type would not accept. */
    long mismatches(FeatureType baseline) {
        return switch (baseline) {
            case Integral -> fractional + text;
            case Fractional -> text;
            case String, Unknown -> 0;
        };
    }

    Distribution distribution() {
        return distributionAs(inferredType());
    }

    /**
     * The distribution as a feature of this type has it: the numbers' sketch, or the value counts.
     */
    Distribution distributionAs(FeatureType type) {
        return type.numeric()
                ? new Distribution.Numeric(sketch)
                : new Distribution.Categorical(values);
    }
}
