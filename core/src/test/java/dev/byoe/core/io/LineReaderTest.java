package dev.byoe.core.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class LineReaderTest {
    private static LineReader reader(String text) {
        return new LineReader(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void aLeadingByteOrderMarkIsDroppedCrlfAndLfEndLines() throws Exception {
        LineReader r = reader("\uFEFF081109 203615 148 INFO x\r\nsecond\nlast");
        assertEquals("081109 203615 148 INFO x", r.readLine());
        assertEquals("second", r.readLine());
        assertEquals("last", r.readLine());
        assertNull(r.readLine());
    }

    @Test
    void shortInputsWithoutAMarkAreRead() throws Exception {
        LineReader r = reader("a\n");
        assertEquals("a", r.readLine());
        assertNull(r.readLine());
        assertNull(reader("").readLine());
        assertEquals(
                "\uFEFF",
                reader("\uFEFF\uFEFF").readLine().substring(0, 1),
                "only the first mark is dropped");
    }
}
