package dev.byoe.serve.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SageMakerNamesTest {
    @Test
    void sageMakersNamesSetWhatByoesWouldHave() {
        ServerSettings s =
                ServerSettings.fromEnvironment(
                        Map.of(
                                "SAGEMAKER_MODEL_SERVER_WORKERS", "3",
                                "SAGEMAKER_MODEL_SERVER_TIMEOUT", "7"));
        assertEquals(3, s.workers());
        assertEquals(Duration.ofSeconds(7), s.deadline());
    }

    @Test
    void withBothSetByoesWinsAndTheLogSaysSo() {
        Map<String, String> env =
                Map.of(
                        "BYOE_MAX_CONCURRENT_INVOCATIONS", "2",
                        "SAGEMAKER_MODEL_SERVER_WORKERS", "5",
                        "BYOE_REQUEST_TIMEOUT_SECONDS", "9",
                        "SAGEMAKER_MODEL_SERVER_TIMEOUT", "9");
        List<String> log = new ArrayList<>();
        Map<String, String> resolved = SageMakerNames.resolve(env, log::add);
        assertEquals("2", resolved.get("BYOE_MAX_CONCURRENT_INVOCATIONS"));
        assertEquals(
                List.of(
                        "BYOE_MAX_CONCURRENT_INVOCATIONS=2 and SAGEMAKER_MODEL_SERVER_WORKERS=5 are"
                                + " both set; BYOE_MAX_CONCURRENT_INVOCATIONS wins"),
                log,
                "equal values are no conflict");
        assertEquals(2, ServerSettings.fromEnvironment(env).workers());
    }

    @Test
    void aBadValueIsReportedUnderTheNameTheUserSet() {
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () ->
                                ServerSettings.fromEnvironment(
                                        Map.of("SAGEMAKER_MODEL_SERVER_TIMEOUT", "soon")));
        assertTrue(
                e.getMessage().startsWith("SAGEMAKER_MODEL_SERVER_TIMEOUT=soon must be an integer"),
                e.getMessage());
    }

    @Test
    void theToolkitsOtherSpellingOfTheTimeoutCountsToo() {
        assertEquals(
                Duration.ofSeconds(11),
                ServerSettings.fromEnvironment(
                                Map.of("SAGEMAKER_MODEL_SERVER_TIMEOUT_SECONDS", "11"))
                        .deadline());
        List<String> log = new ArrayList<>();
        Map<String, String> resolved =
                SageMakerNames.resolve(
                        Map.of(
                                "SAGEMAKER_MODEL_SERVER_TIMEOUT", "7",
                                "SAGEMAKER_MODEL_SERVER_TIMEOUT_SECONDS", "11"),
                        log::add);
        assertEquals("7", resolved.get("BYOE_REQUEST_TIMEOUT_SECONDS"));
        assertEquals(
                List.of(
                        "SAGEMAKER_MODEL_SERVER_TIMEOUT=7 and SAGEMAKER_MODEL_SERVER_TIMEOUT_SECONDS=11"
                                + " are both set; SAGEMAKER_MODEL_SERVER_TIMEOUT wins"),
                log);
    }
}
