package dev.byoe.jobs.monitor;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.apache.datasketches.kll.KllDoublesSketch;
import org.apache.datasketches.quantilescommon.QuantileSearchCriteria;
import org.apache.datasketches.quantilescommon.QuantilesDoublesSketchIteratorAPI;

/** A feature's distribution: a KLL sketch for numbers, value counts for strings. */
sealed interface Distribution {
    /** How many values it describes. */
    long count();

    /**
     * The largest difference between two cumulative distributions (numbers) or two value shares
     * (strings): the L-infinity distance, 0 when identical, at most 1.
     */
    double distance(Distribution other);

    record Numeric(KllDoublesSketch sketch) implements Distribution {
        @Override
        public long count() {
            return sketch.getN();
        }

        @Override
        public double distance(Distribution other) {
            if (!(other instanceof Numeric o) || sketch.isEmpty() || o.sketch.isEmpty()) {
                return Double.NaN;
            }
            // Both step functions change only at retained items, so the maximum is found there.
            double max = 0;
            for (double[] points : new double[][] {o.items(), items()}) {
                double[] a = sketch.getRanks(points, QuantileSearchCriteria.INCLUSIVE);
                double[] b = o.sketch.getRanks(points, QuantileSearchCriteria.INCLUSIVE);
                for (int i = 0; i < points.length; i++) {
                    max = Math.max(max, Math.abs(a[i] - b[i]));
                }
            }
            return max;
        }

        double[] items() {
            double[] out = new double[sketch.getNumRetained()];
            QuantilesDoublesSketchIteratorAPI it = sketch.iterator();
            int i = 0;
            while (it.next()) {
                out[i++] = it.getQuantile();
            }
            return out;
        }

        /** Share of values at or below each point. */
        double[] cdf(double[] points) {
            return sketch.getRanks(points, QuantileSearchCriteria.INCLUSIVE);
        }
    }

    record Categorical(Map<String, Long> counts) implements Distribution {
        public Categorical {
            counts = new LinkedHashMap<>(counts);
        }

        @Override
        public long count() {
            return counts.values().stream().mapToLong(Long::longValue).sum();
        }

        @Override
        public double distance(Distribution other) {
            if (!(other instanceof Categorical o) || count() == 0 || o.count() == 0) {
                return Double.NaN;
            }
            Set<String> values = new HashSet<>(counts.keySet());
            values.addAll(o.counts.keySet());
            double n = count();
            double m = o.count();
            double max = 0;
            for (String v : values) {
                max =
                        Math.max(
                                max,
                                Math.abs(
                                        counts.getOrDefault(v, 0L) / n
                                                - o.counts.getOrDefault(v, 0L) / m));
            }
            return max;
        }
    }
}
