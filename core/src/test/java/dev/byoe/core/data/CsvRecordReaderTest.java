package dev.byoe.core.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringReader;
import org.junit.jupiter.api.Test;

class CsvRecordReaderTest {
    @Test
    void readsQuotedFieldsCrlfAndBlankLines() throws Exception {
        CsvRecordReader r =
                new CsvRecordReader(
                        new StringReader(
                                "a,\"b,c\",\"say \"\"hi\"\"\"\r\n\r\n1,,3\n\"multi\nline\",x,\n"));
        assertArrayEquals(new String[] {"a", "b,c", "say \"hi\""}, r.next());
        assertEquals(1, r.recordLine());
        assertArrayEquals(new String[] {"1", "", "3"}, r.next());
        assertEquals(3, r.recordLine());
        assertArrayEquals(new String[] {"multi\nline", "x", ""}, r.next());
        assertEquals(4, r.recordLine());
        assertNull(r.next());
    }

    @Test
    void aLeadingByteOrderMarkIsDroppedAndOnlyThere() throws Exception {
        CsvRecordReader r = new CsvRecordReader(new StringReader("\uFEFFage,x\n1,\uFEFF\n"));
        org.junit.jupiter.api.Assertions.assertArrayEquals(new String[] {"age", "x"}, r.next());
        org.junit.jupiter.api.Assertions.assertArrayEquals(new String[] {"1", "\uFEFF"}, r.next());
    }

    @Test
    void lastRecordWithoutNewline() throws Exception {
        CsvRecordReader r = new CsvRecordReader(new StringReader("1,2\n3,4"));
        r.next();
        assertArrayEquals(new String[] {"3", "4"}, r.next());
        assertNull(r.next());
    }

    @Test
    void errorsNameTheLine() {
        CsvFormatException open =
                assertThrows(
                        CsvFormatException.class,
                        () -> drain(new CsvRecordReader(new StringReader("1,2\n3,\"4\n"))));
        assertEquals(2, open.line());
        assertTrue(open.getMessage().contains("never closed"));
        CsvFormatException after =
                assertThrows(
                        CsvFormatException.class,
                        () -> drain(new CsvRecordReader(new StringReader("1,2\n\"3\"x,4\n"))));
        assertTrue(
                after.getMessage().startsWith("line 2: Unexpected character ('x'"),
                after.getMessage());
    }

    @Test
    void textThatCannotBeDecodedIsTheReadersErrorNotACsvError() {
        var strict =
                java.nio.charset.StandardCharsets.UTF_8
                        .newDecoder()
                        .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT);
        byte[] bytes = {'1', ',', (byte) 0xff, '\n'};
        assertThrows(
                java.nio.charset.CharacterCodingException.class,
                () ->
                        drain(
                                new CsvRecordReader(
                                        new java.io.InputStreamReader(
                                                new java.io.ByteArrayInputStream(bytes), strict))));
    }

    @Test
    void readsAcrossBufferBoundaries() throws Exception {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 20_000; i++) {
            sb.append(i).append(",\"q").append(i).append("\"\n");
        }
        CsvRecordReader r = new CsvRecordReader(new StringReader(sb.toString()));
        for (int i = 0; i < 20_000; i++) {
            assertArrayEquals(new String[] {Integer.toString(i), "q" + i}, r.next());
        }
        assertNull(r.next());
    }

    private static void drain(CsvRecordReader r) throws Exception {
        while (r.next() != null) {
            // read to the end
        }
    }
}
