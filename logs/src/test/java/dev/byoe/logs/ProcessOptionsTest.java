package dev.byoe.logs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProcessOptionsTest {
    @Test
    void quotedWordsStayWholeAsOnAShell() {
        String line =
                "  --preset hdfs --log-format '<Date> <Time> <Level> <Component>: <Content>'\n"
                        + "--mask \"blk_-?\\d+\" --st 0.6 ";
        List<String> words = ProcessOptions.words(line);
        assertEquals(
                List.of(
                        "--preset",
                        "hdfs",
                        "--log-format",
                        "<Date> <Time> <Level> <Component>: <Content>",
                        "--mask",
                        "blk_-?\\d+",
                        "--st",
                        "0.6"),
                words);
        ProcessOptions options =
                ProcessOptions.parse(
                        words.toArray(new String[0]), List.of(Path.of("in")), Path.of("out"));
        assertEquals("<Date> <Time> <Level> <Component>: <Content>", options.logFormat());
        assertEquals(0.6, options.drain().st(), 1e-9);
    }
}
