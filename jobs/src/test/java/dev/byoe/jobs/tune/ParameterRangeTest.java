package dev.byoe.jobs.tune;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class ParameterRangeTest {
    @Test
    void scalingsMapTheUnitIntervalOntoTheRangeAndBack() {
        for (Scaling s : Scaling.values()) {
            double min = s == Scaling.REVERSE_LOGARITHMIC ? 0.5 : 0.01;
            double max = s == Scaling.REVERSE_LOGARITHMIC ? 0.999 : 10;
            assertEquals(min, s.fromUnit(0, min, max), 1e-12, s.name());
            assertEquals(max, s.fromUnit(1, min, max), 1e-12, s.name());
            for (double u : new double[] {0.1, 0.37, 0.5, 0.9}) {
                assertEquals(u, s.toUnit(s.fromUnit(u, min, max), min, max), 1e-9, s + " at " + u);
            }
        }
    }

    @Test
    void logarithmicSpendsEqualShareOnEachDecadeAndReverseLogCrowdsNearOne() {
        assertEquals(0.1, Scaling.LOGARITHMIC.fromUnit(0.5, 0.01, 1), 1e-12);
        assertEquals(0.505, Scaling.LINEAR.fromUnit(0.5, 0.01, 1), 1e-12);
        // 1 - x is log-uniform: halfway between 0.9 and 0.999 on that scale is 1 - sqrt(0.1 *
        // 0.001).
        assertEquals(
                1 - Math.sqrt(0.1 * 0.001),
                Scaling.REVERSE_LOGARITHMIC.fromUnit(0.5, 0.9, 0.999),
                1e-12);
    }

    @Test
    void integerRangeGivesEveryValueAnEqualShare() {
        ParameterRange.Integer depth =
                new ParameterRange.Integer("max_depth", 1, 10, Scaling.LINEAR);
        Map<String, Integer> counts = new TreeMap<>();
        for (int i = 0; i < 10_000; i++) {
            counts.merge(depth.valueAt((i + 0.5) / 10_000), 1, Integer::sum);
        }
        assertEquals(10, counts.size(), counts.toString());
        counts.values().forEach(c -> assertEquals(1000, c, 2, counts.toString()));
        assertEquals("1", depth.valueAt(0));
        assertEquals("10", depth.valueAt(1));
    }

    @Test
    void continuousValuesArePlainDecimalsStrictlyInsideTheRange() {
        ParameterRange.Continuous eta = new ParameterRange.Continuous("eta", 0, 1, Scaling.LINEAR);
        String low = eta.valueAt(0);
        assertTrue(Double.parseDouble(low) > 0, low);
        assertTrue(!low.contains("E") && !low.contains("e"), low);
        assertEquals("0.25", eta.valueAt(0.25));
        ParameterRange.Continuous lr =
                new ParameterRange.Continuous("lr", 1e-5, 1e-1, Scaling.LOGARITHMIC);
        assertEquals("0.001", lr.valueAt(0.5));
    }

    @Test
    void categoricalSplitsTheIntervalAndRoundTrips() {
        ParameterRange.Categorical c =
                new ParameterRange.Categorical("grow", List.of("a", "b", "c"));
        assertEquals("a", c.valueAt(0));
        assertEquals("c", c.valueAt(1));
        for (int i = 0; i < 3; i++) {
            assertEquals(c.values().get(i), c.valueAt(c.unitOf(i)));
        }
    }
}
