package dev.byoe.jobs.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.byoe.core.JobFailure;
import dev.byoe.logs.ProcessOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogProcessorTest {
    @TempDir Path dir;

    private Map<String, Object> process(String log, String... args) throws Exception {
        Path in = Files.createDirectories(dir.resolve("in"));
        Files.writeString(in.resolve("app.log"), log);
        List<String> all =
                new ArrayList<>(
                        List.of(
                                "--input",
                                in.toString(),
                                "--output",
                                dir.resolve("out").toString()));
        all.addAll(List.of(args));
        return new LogProcessor(
                        ProcessOptions.parse(
                                all.toArray(new String[0]), List.of(), dir.resolve("out")))
                .run();
    }

    private List<String> out(String file) throws Exception {
        return Files.readAllLines(dir.resolve("out").resolve(file));
    }

    @Test
    void aLineNamingTwoBlocksCountsForBoth() throws Exception {
        String log =
                """
                2024-01-01 10:00:00 INFO open blk_1
                2024-01-01 10:00:01 INFO open blk_2
                truncated line
                2024-01-01 10:00:02 INFO copy blk_1 to blk_2
                2024-01-01 10:00:03 INFO close blk_1 blk_1
                """;
        Map<String, Object> s =
                process(
                        log,
                        "--log-format",
                        "<Date> <Time> <Level> <Content>",
                        "--mask",
                        "blk_-?\\d+",
                        "--session-id",
                        "blk_-?\\d+");
        assertEquals(5L, s.get("lines"));
        assertEquals(1L, s.get("malformed"));
        assertTrue(s.get("malformed_examples").toString().contains("app.log line 3"), s.toString());
        assertEquals(
                List.of("SessionId,Length,EventSequence", "blk_1,3,E1 E2 E3", "blk_2,2,E1 E2"),
                out("sessions.csv"));
        assertEquals("blk_1,0,1,1,1", out("event_counts.csv").get(1));
        assertEquals(
                "5,2024-01-01,10:00:03,INFO,close blk_1 blk_1,E3",
                out("structured.csv").get(4),
                "line ids keep counting malformed lines");
    }

    @Test
    void fixedAndSlidingTimeWindows() throws Exception {
        String log =
                """
                081109 203500 INFO a
                081109 203559 INFO b
                081109 203601 INFO a
                081109 203730 INFO b
                """;
        String[] common = {
            "--log-format",
            "<Date> <Time> <Level> <Content>",
            "--time-fields",
            "Date,Time",
            "--time-format",
            "yyMMdd HHmmss"
        };
        List<String> args = new ArrayList<>(List.of(common));
        args.addAll(List.of("--window", "fixed:60"));
        process(log, args.toArray(new String[0]));
        assertEquals(
                List.of(
                        "SessionId,Length,EventSequence",
                        "2008-11-09T20:35,2,E1 E2",
                        "2008-11-09T20:36,1,E1",
                        "2008-11-09T20:37,1,E2"),
                out("sessions.csv"));
        args = new ArrayList<>(List.of(common));
        args.addAll(List.of("--window", "sliding:120:60"));
        process(log, args.toArray(new String[0]));
        assertEquals(
                List.of(
                        "SessionId,Length,EventSequence",
                        "2008-11-09T20:34,2,E1 E2",
                        "2008-11-09T20:35,3,E1 E2 E1",
                        "2008-11-09T20:36,2,E1 E2",
                        "2008-11-09T20:37,1,E2"),
                out("sessions.csv"));
    }

    @Test
    void aSavedParserLabelsNewLogsWithTheSameIdsAndAStableUnknown() throws Exception {
        process(
                "user alice logged in\nuser bob logged in\ndisk full on sda\n",
                "--session-id",
                "user \\w+|disk");
        Path state = dir.resolve("drain.json");
        Files.copy(dir.resolve("out/drain.json"), state);
        Map<String, Object> s =
                process(
                        "disk full on sdb\nprinter on fire\nuser carol logged in\n",
                        "--drain-state",
                        state.toString());
        assertEquals("apply", s.get("mode"));
        assertEquals(1L, s.get("unknown_event_lines"));
        List<String> rows = out("structured.csv");
        assertEquals(
                List.of(
                        "LineId,Content,EventId",
                        "1,disk full on sdb,E2",
                        "2,printer on fire,E0",
                        "3,user carol logged in,E1"),
                rows);
    }

    @Test
    void labelsAreJoinedAndUnknownSessionsCounted() throws Exception {
        Path labels = dir.resolve("labels.csv");
        Files.writeString(labels, "BlockId,Label\nblk_1,Anomaly\nblk_2,Normal\n");
        Map<String, Object> s =
                process(
                        "open blk_1\nopen blk_2\nopen blk_3\n",
                        "--session-id",
                        "blk_\\d+",
                        "--labels",
                        labels.toString());
        assertEquals(
                List.of(
                        "SessionId,Label,Length,EventSequence",
                        "blk_1,1,1,E1",
                        "blk_2,0,1,E1",
                        "blk_3,,1,E1"),
                out("sessions.csv"));
        assertEquals(2L, s.get("sessions_labelled"));
        assertEquals(1L, s.get("sessions_unlabelled"));
    }

    @Test
    void badOptionsAreNamed() {
        assertMessage("--window needs --time-fields", "--window", "fixed:60");
        assertMessage("not a valid regular expression", "--mask", "([a-");
        assertMessage("depth must be at least 3", "--depth", "2");
        assertMessage("Unknown options: '--colour'", "--colour", "red");
        assertMessage(
                "--window must be fixed:SECONDS or sliding:SECONDS:STEP",
                "--window",
                "hourly",
                "--time-fields",
                "Date",
                "--time-format",
                "yy");
    }

    private static void assertMessage(String fragment, String... args) {
        JobFailure e =
                assertThrows(
                        JobFailure.class,
                        () -> ProcessOptions.parse(args, List.of(), Path.of("out")));
        assertTrue(e.getMessage().contains(fragment), e.getMessage());
    }
}
