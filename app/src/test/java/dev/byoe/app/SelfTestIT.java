package dev.byoe.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code self-test} in the two steps the image build records its AOT caches from: a run that trains
 * and keeps its /opt/ml layout, then a run that only serves what it left.
 */
class SelfTestIT {
    @TempDir Path tmp;

    @Test
    void aLogAnomalyModelIsTrainedKeptAndServedAgain() throws Exception {
        Path root = tmp.resolve("logs");
        Byoe.Result trained =
                Byoe.run(Map.of(), "self-test", "--log-anomaly", "--ml-root", root.toString());
        assertEquals(0, trained.exit(), trained.all());
        assertTrue(trained.stdout().contains("self-test passed"), trained.all());
        assertTrue(Files.isRegularFile(root.resolve("model/members/deeplog/lstm.bin")));

        Byoe.Result served =
                Byoe.run(
                        Map.of(),
                        "self-test",
                        "--log-anomaly",
                        "--serve-only",
                        "--ml-root",
                        root.toString());
        assertEquals(0, served.exit(), served.all());
        assertTrue(served.stdout().contains("self-test passed"), served.all());
        assertTrue(!served.stdout().contains("model written"), "serve-only trained again");
    }

    @Test
    void servingOnlyNeedsALayoutWithAModel() throws Exception {
        Byoe.Result withoutRoot = Byoe.run(Map.of(), "self-test", "--serve-only");
        assertEquals(2, withoutRoot.exit(), withoutRoot.all());
        assertTrue(withoutRoot.stderr().contains("--serve-only needs --ml-root"));

        Files.createDirectories(tmp.resolve("empty"));
        Byoe.Result empty =
                Byoe.run(
                        Map.of(),
                        "self-test",
                        "--serve-only",
                        "--ml-root",
                        tmp.resolve("empty").toString());
        assertNotEquals(0, empty.exit(), empty.all());
        assertTrue(empty.stderr().contains("no model in"), empty.all());
    }

    @Test
    void theTabularModelIsKeptWhereItWasAsked() throws Exception {
        Path root = tmp.resolve("tabular");
        Byoe.Result trained = Byoe.run(Map.of(), "self-test", "--ml-root", root.toString());
        assertEquals(0, trained.exit(), trained.all());
        assertTrue(Files.isRegularFile(root.resolve("model/manifest.json")));
        Byoe.Result served =
                Byoe.run(Map.of(), "self-test", "--serve-only", "--ml-root", root.toString());
        assertEquals(0, served.exit(), served.all());
        assertTrue(served.stdout().contains("self-test passed"), served.all());
    }
}
