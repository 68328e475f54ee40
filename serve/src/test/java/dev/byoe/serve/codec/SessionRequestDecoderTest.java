package dev.byoe.serve.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.byoe.model.anomaly.SessionBatch;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class SessionRequestDecoderTest {
    private static SessionBatch csv(String body, boolean orderFree) {
        return sessions(body.getBytes(StandardCharsets.UTF_8), Formats.CSV, orderFree);
    }

    @Test
    void csvSequencesWithOrWithoutIdsAndHeader() {
        SessionBatch b =
                csv(
                        "SessionId,Label,Length,EventSequence\r\nblk_1,0,3,E5 E22 E5\r\n\"blk_2\",1,1,E7\r\n",
                        false);
        assertEquals(List.of("blk_1", "blk_2"), b.ids());
        assertArrayEquals(new int[] {5, 22, 5}, b.events()[0]);
        assertArrayEquals(new int[] {7}, b.events()[1]);
        SessionBatch bare = csv("5 22 5\n9\n", false);
        assertEquals(List.of("0", "1"), bare.ids());
        assertArrayEquals(new int[] {9}, bare.events()[1]);
    }

    @Test
    void quotedIdsMayHoldCommasAndQuotes() {
        SessionBatch b = csv("\uFEFF\"blk,1\",E5 E22\n\"say \"\"hi\"\"\",\"E7\"\n", false);
        assertEquals(List.of("blk,1", "say \"hi\""), b.ids());
        assertArrayEquals(new int[] {5, 22}, b.events()[0]);
        assertArrayEquals(new int[] {7}, b.events()[1]);
        RequestProblem open = assertThrows(RequestProblem.class, () -> csv("\"blk,1,E5\n", false));
        assertTrue(open.getMessage().contains("never closed"), open.getMessage());
    }

    @Test
    void severalJsonDocumentsAreEverySession() {
        SessionBatch b =
                sessions(
                        ("{\"sessions\": [{\"id\": \"a\", \"events\": \"E5\"}]}\n"
                                        + "{\"sessions\": [{\"id\": \"b\", \"events\": \"E7\"}, {\"id\": \"c\", \"events\": \"E9\"}]}\n"
                                        + "{\"id\": \"d\", \"events\": [1]}")
                                .getBytes(StandardCharsets.UTF_8),
                        Formats.JSON,
                        false);
        assertEquals(List.of("a", "b", "c", "d"), b.ids());
        RequestProblem trailing =
                assertThrows(
                        RequestProblem.class,
                        () ->
                                sessions(
                                        "[{\"events\": \"E5\"}] x".getBytes(StandardCharsets.UTF_8),
                                        Formats.JSON,
                                        false));
        assertTrue(trailing.getMessage().contains("after JSON document 1"), trailing.getMessage());
        RequestProblem dup =
                assertThrows(
                        RequestProblem.class,
                        () ->
                                sessions(
                                        "[{\"id\": \"a\", \"id\": \"b\", \"events\": \"E5\"}]"
                                                .getBytes(StandardCharsets.UTF_8),
                                        Formats.JSON,
                                        false));
        assertTrue(dup.getMessage().contains("'id'"), dup.getMessage());
    }

    @Test
    void csvCountVectorsWithTheProcessHeaderOrWithout() {
        SessionBatch b = csv("SessionId,Label,E0,E1,E2\nb1,0,0,2,1\n", true);
        assertEquals(List.of("b1"), b.ids());
        assertArrayEquals(new int[] {1, 1, 2}, b.events()[0]);
        SessionBatch bare = csv("b1,1,0,3\n", true);
        assertArrayEquals(new int[] {0, 2, 2, 2}, bare.events()[0]);
        RequestProblem ordered =
                assertThrows(RequestProblem.class, () -> csv("SessionId,E0,E1\nb1,0,2\n", false));
        assertTrue(ordered.getMessage().contains("reads event order"), ordered.getMessage());
        RequestProblem bad =
                assertThrows(RequestProblem.class, () -> csv("SessionId,E0,E1\nb1,0,x\n", true));
        assertTrue(
                bad.getMessage().contains("row 2, column 3") && bad.getMessage().contains("'x'"),
                bad.getMessage());
    }

    @Test
    void badEventTokensAndShapesNameTheRow() {
        RequestProblem e =
                assertThrows(RequestProblem.class, () -> csv("a,E5 E22\nb,E5 F9\n", false));
        assertEquals(RequestProblem.Kind.MALFORMED, e.kind());
        assertTrue(
                e.getMessage().contains("row 2") && e.getMessage().contains("F9"), e.getMessage());
        RequestProblem json =
                assertThrows(
                        RequestProblem.class,
                        () ->
                                sessions(
                                        "{\"sessions\": [{\"events\": [5, -1]}]}"
                                                .getBytes(StandardCharsets.UTF_8),
                                        Formats.JSON,
                                        false));
        assertTrue(
                json.getMessage().contains("session 1") && json.getMessage().contains("event 2"),
                json.getMessage());
        RequestProblem lines =
                assertThrows(
                        RequestProblem.class,
                        () ->
                                sessions(
                                        "{\"events\": \"E5\"}\n{\"events\": \n"
                                                .getBytes(StandardCharsets.UTF_8),
                                        Formats.JSON_LINES,
                                        false));
        assertTrue(lines.getMessage().contains("line 2"), lines.getMessage());
        assertThrows(
                RequestProblem.class,
                () -> sessions(new byte[] {(byte) 0xC3, (byte) 0x28}, Formats.CSV, false));
    }

    @Test
    void jsonSessionsInEverySpelling() {
        SessionBatch b =
                sessions(
                        ("[{\"id\": \"a\", \"events\": \"E5 E22\"}, {\"id\": 7, \"events\": [\"E5\", 22]},"
                                        + " {\"counts\": [1, 0, 2]}]")
                                .getBytes(StandardCharsets.UTF_8),
                        Formats.JSON,
                        true);
        assertEquals(List.of("a", "7", "2"), b.ids());
        assertArrayEquals(new int[] {5, 22}, b.events()[1]);
        assertArrayEquals(new int[] {0, 2, 2}, b.events()[2]);
    }

    @Test
    void countsThatWouldExpandToGigabytesAreRefused() {
        // 20 bytes per session asking for a million events each: refused before memory is spent.
        String many = "{\"counts\":[1000000]}\n".repeat(20);
        RequestProblem total =
                assertThrows(
                        RequestProblem.class,
                        () ->
                                sessions(
                                        many.getBytes(StandardCharsets.UTF_8),
                                        Formats.JSON_LINES,
                                        true));
        assertEquals(RequestProblem.Kind.TOO_LARGE, total.kind());
        RequestProblem row =
                assertThrows(RequestProblem.class, () -> csv("id,E0,E1\nb,999999,2\n", true));
        assertTrue(row.getMessage().contains("more than 1000000 events"), row.getMessage());
        RequestProblem header =
                assertThrows(
                        RequestProblem.class,
                        () -> csv("id,E0,E" + "8".repeat(30) + "\nb,1,2\n", true));
        assertTrue(header.getMessage().contains("header"), header.getMessage());
    }

    private static SessionBatch sessions(byte[] body, Format format, boolean orderFree) {
        return format.decodeSessions(body, orderFree);
    }
}
