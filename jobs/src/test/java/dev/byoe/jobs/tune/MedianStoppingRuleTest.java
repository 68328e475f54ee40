package dev.byoe.jobs.tune;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class MedianStoppingRuleTest {
    private static final List<List<Double>> FINISHED =
            List.of(List.of(10.0, 8.0, 6.0), List.of(12.0, 10.0, 9.0), List.of(9.0, 7.0, 5.0));

    @Test
    void stopsATrialWorseThanTheMedianOfEarlierRunningAverages() {
        // Running averages at epoch 2: 9, 11, 8 -> median 9.
        assertTrue(MedianStoppingRule.shouldStop(List.of(11.0, 9.5), FINISHED, true));
        assertFalse(MedianStoppingRule.shouldStop(List.of(11.0, 8.5), FINISHED, true));
        // Maximize: worse means lower.
        assertTrue(MedianStoppingRule.shouldStop(List.of(11.0, 8.5), FINISHED, false));
    }

    @Test
    void comparesOnlyWithTrialsThatReachedTheSameEpochAndNeedsEnoughOfThem() {
        List<List<Double>> mixed =
                List.of(List.of(10.0, 8.0), List.of(12.0), List.of(9.0, 7.0), List.of(20.0, 19.0));
        // At epoch 2 three trials count (9, 8, 19.5 -> median 9); the one-epoch trial does not.
        assertTrue(MedianStoppingRule.shouldStop(List.of(1.0, 9.2), mixed, true));
        assertFalse(MedianStoppingRule.shouldStop(List.of(1.0, 9.2), FINISHED.subList(0, 2), true));
        assertFalse(MedianStoppingRule.shouldStop(List.of(), FINISHED, true));
    }
}
