package dev.byoe.logs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DrainTest {
    private static final List<String> LOG =
            List.of(
                    "connected to 10.0.0.1 port 22",
                    "disk full on /dev/sda",
                    "user alice logged in",
                    "connected to 10.0.0.2 port 23",
                    "disk full on /dev/sdb",
                    "user bob logged in");

    private static LogParser parser(double st, int maxChildren) {
        return new LogParser(
                new LogFormat("<Content>"),
                new Drain(new Drain.Settings(4, st, maxChildren, List.of("(\\d+\\.){3}\\d+"))));
    }

    private static List<Integer> learnAll(LogParser p, List<String> lines) {
        List<Integer> clusters = new ArrayList<>();
        for (String l : lines) {
            clusters.add(p.learn(l));
        }
        p.freeze();
        return clusters.stream().map(p::eventOfCluster).toList();
    }

    @Test
    void similarLinesShareATemplateWithWildcardsWhereTheyDiffer() {
        LogParser p = parser(0.5, 100);
        List<Integer> events = learnAll(p, LOG);
        assertEquals(List.of(1, 2, 3, 1, 2, 3), events);
        assertEquals(
                List.of(
                        "<unknown>",
                        "connected to <*> port <*>",
                        "disk full on <*>",
                        "user <*> logged in"),
                p.events());
        assertEquals(3, p.event("user carol logged in"));
        assertEquals(1, p.event("connected to 192.168.1.1 port 80"));
        assertEquals(Drain.UNKNOWN, p.event("printer on fire"), "no cluster of that length");
        assertEquals(
                Drain.UNKNOWN, p.event("disk quota exceeded now"), "too unlike its only candidate");
    }

    @Test
    void theSimilarityThresholdDecidesMerging() {
        LogParser strict = parser(0.9, 100);
        List<Integer> events = learnAll(strict, LOG);
        assertNotEquals(events.get(2), events.get(5), "3 of 4 tokens equal is below st=0.9");
        assertEquals(6, strict.events().size() - 1);
    }

    @Test
    void tokensWithDigitsAndSurplusSiblingsGoUnderTheWildcardNode() {
        LogParser p = parser(0.4, 3);
        List<Integer> events = learnAll(p, List.of("a x", "b x", "c x", "d x", "7up x"));
        assertEquals(List.of("<unknown>", "a x", "b x", "<*> x"), p.events());
        assertEquals(List.of(1, 2, 3, 3, 3), events);
    }

    @Test
    void savedStateLabelsLinesExactlyAsBefore(@TempDir Path dir) throws Exception {
        LogParser p = parser(0.5, 100);
        learnAll(p, LOG);
        Path file = dir.resolve("drain.json");
        p.save(file);
        LogParser loaded = LogParser.load(file);
        assertEquals(p.events(), loaded.events());
        for (String line :
                List.of(
                        "user zed logged in",
                        "connected to 1.2.3.4 port 9",
                        "no such line at all",
                        "disk full on /x")) {
            assertEquals(p.event(line), loaded.event(line), line);
        }
        assertFalse(Files.readString(file).contains("java"), "plain data, no serialized objects");
    }

    @Test
    void masksThatStayInATokenAreRecognised() {
        for (String r :
                List.of(
                        "blk_-?\\d+",
                        "(\\d+\\.){3}\\d+(:\\d+)?",
                        "\\b[KGTM]?B\\b",
                        "([\\w-]+\\.){2,}[\\w-]+",
                        "(?:0x)?[0-9a-f]+",
                        "=\\d+")) {
            assertTrue(Drain.staysInToken(r), r);
        }
        for (String r :
                List.of(
                        "\\s+\\d", "a.b", "[^x]+", "^\\d+", "\\d+$", "(?<=x)y", "\\d*", "a b",
                        "\\S+", "[\\s]x")) {
            assertFalse(Drain.staysInToken(r), r);
        }
    }

    @Test
    void tokenByTokenMaskingEqualsWholeLineMasking() throws Exception {
        List<String> masks = List.of("blk_-?\\d+", "(\\d+\\.){3}\\d+(:\\d+)?");
        Drain byToken = new Drain(new Drain.Settings(4, 0.5, 100, masks));
        List<String> withWholeLine = new ArrayList<>(masks);
        withWholeLine.add("\\sNEVER\\s");
        Drain byLine = new Drain(new Drain.Settings(4, 0.5, 100, withWholeLine));
        for (String line : Files.readAllLines(HdfsFixture.LOG)) {
            assertArrayEquals(byLine.tokens(line), byToken.tokens(line), line);
        }
    }
}
