package dev.byoe.logs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.byoe.core.io.LineReader;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class LogFormatTest {
    private static String[] split(String format, String line) {
        LogFormat f = new LogFormat(format);
        String[] out = new String[f.fields().size()];
        return f.split(line, out) ? out : null;
    }

    @Test
    void plainSeparatorsWithWhiteSpaceRuns() {
        assertArrayEquals(
                new String[] {
                    "081109",
                    "203518",
                    "143",
                    "INFO",
                    "dfs.DataNode$DataXceiver",
                    "Receiving block blk_-1 src: /10.0.0.1:5 dest: /10.0.0.2:50010"
                },
                split(
                        HdfsFixture.FORMAT,
                        "  081109 203518  143 INFO dfs.DataNode$DataXceiver: "
                                + "Receiving block blk_-1 src: /10.0.0.1:5 dest: /10.0.0.2:50010 "));
    }

    @Test
    void regexFragmentsAndOptionalFields() {
        assertArrayEquals(
                new String[] {"Sun Dec 04 04:47:44 2005", "error", "mod_jk child in error state 6"},
                split(
                        "\\[<Time>\\] \\[<Level>\\] <Content>",
                        "[Sun Dec 04 04:47:44 2005] [error] mod_jk child in error state 6"));
        String linux = "<Month> <Date> <Time> <Level> <Component>(\\[<PID>\\])?: <Content>";
        assertArrayEquals(
                new String[] {
                    "Jun",
                    "14",
                    "15:16:01",
                    "combo",
                    "sshd(pam_unix)",
                    "19939",
                    "check pass; user unknown"
                },
                split(
                        linux,
                        "Jun 14 15:16:01 combo sshd(pam_unix)[19939]: check pass; user unknown"));
        assertArrayEquals(
                new String[] {
                    "Jun", "15", "04:06:18", "combo", "su(pam_unix)", "", "session opened"
                },
                split(linux, "Jun 15 04:06:18 combo su(pam_unix): session opened"));
    }

    @Test
    void aLineThatDoesNotMatchIsReportedNotGuessed() {
        assertNull(split(HdfsFixture.FORMAT, "just some words"));
        assertThrows(IllegalArgumentException.class, () -> new LogFormat("<Date> <Time>"));
        assertThrows(IllegalArgumentException.class, () -> new LogFormat("<Content> <Content>"));
    }

    @Test
    void aHostileLineIsRefusedInLinearTime() {
        // Found by fuzzing: spaces and no ':' make the five lazy fields backtrack without end.
        // Without the bound this runs for hours; the limit only keeps a regression from hanging the
        // build.
        String hostile = "1 ".repeat(3000);
        org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(
                java.time.Duration.ofSeconds(30),
                () -> {
                    assertNull(split(HdfsFixture.FORMAT, hostile));
                    assertNull(
                            split(
                                    "<Month> <Date> <Time> <Level> <Component>(\\[<PID>\\])?: <Content>",
                                    hostile));
                });
    }

    @Test
    void lineReaderHandlesLineEndsAndBadBytes() throws Exception {
        byte[] big = "x".repeat(200_000).getBytes(StandardCharsets.US_ASCII);
        ByteArrayInputStream in =
                new ByteArrayInputStream(
                        concat(
                                "a\r\n\nb\n".getBytes(StandardCharsets.US_ASCII),
                                new byte[] {'c', (byte) 0xff, '\n'},
                                big));
        LineReader r = new LineReader(in);
        assertEquals("a", r.readLine());
        assertEquals("", r.readLine());
        assertEquals("b", r.readLine());
        assertEquals("c\uFFFD", r.readLine());
        assertEquals(
                200_000,
                r.readLine().length(),
                "last line without a line end, longer than the buffer");
        assertNull(r.readLine());
    }

    private static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] out = new byte[n];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }
}
