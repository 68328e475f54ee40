package dev.byoe.training.catboost;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.byoe.model.member.MemberException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * CatBoost's native fit calls exit() on options it rejects. Run in the child JVM, that must turn
 * into an exception carrying CatBoost's reason while this JVM keeps running.
 */
class CatBoostFitProcessTest {
    @TempDir Path dir;

    @Test
    void nativeRejectionBecomesAnExceptionNotADeadJvm() throws Exception {
        Path learn = dir.resolve("learn.tsv");
        Files.writeString(learn, "1\t0.5\n0\t0.1\n1\t0.9\n0\t0.2\n");
        MemberException e =
                assertThrows(
                        MemberException.class,
                        () ->
                                CatBoostFitProcess.fit(
                                        List.of(
                                                "--learn-set", learn.toString(),
                                                "--loss-function", "NoSuchLoss",
                                                "--iterations", "5",
                                                "--model-file", dir.resolve("m.cbm").toString(),
                                                "--train-dir", dir.resolve("info").toString()),
                                        dir));
        assertTrue(e.getMessage().contains("CatBoost training failed"), e.getMessage());
        assertTrue(e.getMessage().contains("NoSuchLoss"), e.getMessage());
    }

    @Test
    void unknownFlagIsReportedToo() throws Exception {
        MemberException e =
                assertThrows(
                        MemberException.class,
                        () -> CatBoostFitProcess.fit(List.of("--no-such-flag", "1"), dir));
        assertTrue(e.getMessage().contains("no-such-flag"), e.getMessage());
    }
}
