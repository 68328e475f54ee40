package dev.byoe.jobs.tune;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class MetricScannerTest {
    @Test
    void latestValueWinsAndEveryValueIsKeptInOrder() {
        MetricScanner s =
                new MetricScanner(
                        List.of(
                                new TuningConfig.MetricDefinition(
                                        "validation:rmse",
                                        Pattern.compile("validation-rmse:([0-9\\.]+)")),
                                new TuningConfig.MetricDefinition(
                                        "f1", Pattern.compile("F1=(.*?)"))));
        assertEquals(
                List.of("validation:rmse"),
                s.accept("[1] validation-rmse:60.5; [2] validation-rmse:59.25;"));
        s.accept("xgboost-validation-rmse=70.0;");
        s.accept("noise");
        s.accept("validation-rmse:58.0;");
        s.accept("F1=0.8");
        assertEquals(List.of(60.5, 59.25, 58.0), s.series("validation:rmse"));
        assertEquals(Map.of("validation:rmse", 58.0), s.finalValues());
        // A lazy group with nothing after it captures "", which SageMaker cannot use either.
        assertEquals(List.of("f1"), s.neverMatched());
        assertEquals("", s.unreadableCapture("f1"));
    }
}
