package dev.byoe.formats;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.byoe.formats.libsvm.LibSvmLine;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class LibSvmLineTest {
    @Test
    void readsLabelIndicesAndValuesIgnoringRankingGroupsAndComments() {
        LibSvmLine line = LibSvmLine.parse("2.5 qid:3 1:0.5 4:-2e3  7:1 # note", "f line 1", true);
        assertEquals("2.5", line.label());
        NumericRow row = line.row(1, "f line 1");
        assertArrayEquals(new int[] {0, 3, 6}, row.positions());
        assertArrayEquals(new float[] {0.5f, -2000f, 1f}, row.values());
        assertEquals(7, row.size());
        assertNull(LibSvmLine.parse("   # only a comment", "f line 2", true));
    }

    @Test
    void aRequestLineMayLeaveTheLabelOut() {
        assertNull(LibSvmLine.parse("1:2 3:4", "line 1", false).label());
        assertEquals("0", LibSvmLine.parse("0 1:2 3:4", "line 1", false).label());
    }

    @Test
    void badLinesAreNamedWithTheirToken() {
        FormatProblem overflow =
                assertThrows(
                        FormatProblem.class,
                        () -> LibSvmLine.parse("1 1:0 99999999999999999999:1", "a line 9", true));
        assertTrue(overflow.getMessage().startsWith("a line 9, token 3"), overflow.getMessage());
        FormatProblem tooLarge =
                assertThrows(
                        FormatProblem.class,
                        () -> LibSvmLine.parse("1 1:0 16777217:1", "a line 9", true));
        assertTrue(tooLarge.getMessage().contains("outside 0..16777216"), tooLarge.getMessage());
        FormatProblem order =
                assertThrows(
                        FormatProblem.class, () -> LibSvmLine.parse("1 4:1 2:1", "a line 1", true));
        assertTrue(order.getMessage().contains("must increase"), order.getMessage());
        for (String bad :
                List.of("1 2", "1 :3", "1 2:", "x 1:2", "1 1:inf", "1 1:0x10", "1 1:2f")) {
            assertThrows(FormatProblem.class, () -> LibSvmLine.parse(bad, "l", true), bad);
        }
        FormatProblem belowBase =
                assertThrows(
                        FormatProblem.class,
                        () -> LibSvmLine.parse("1 0:1", "a line 1", true).row(1, "a line 1"));
        assertTrue(belowBase.getMessage().contains("below the index base 1"));
    }

    @Test
    void aChannelThatUsesIndexZeroIsZeroBased() throws Exception {
        NumericChannel zero = read("1 0:1 2:3\n0 1:5\n", -1);
        assertEquals(0, zero.indexBase());
        assertEquals(3, zero.width());
        assertArrayEquals(new int[] {0, 2}, zero.rows().getFirst().row().positions());
        NumericChannel one = read("1 1:1 3:3\n0 2:5\n", -1);
        assertEquals(1, one.indexBase());
        assertEquals(3, one.width());
        assertEquals("t line 2", one.rows().get(1).where());
        // A validation channel follows the training channel's base, whatever it holds.
        assertEquals(0, read("1 1:1\n", 0).indexBase());
        assertEquals(2, read("1 1:1\n", 0).width());
    }

    private static NumericChannel read(String text, int base) throws Exception {
        return NumericChannel.read(
                RowFormat.LIBSVM,
                List.of(
                        new NumericChannel.Source(
                                "t",
                                () ->
                                        new ByteArrayInputStream(
                                                text.getBytes(StandardCharsets.UTF_8)))),
                base);
    }
}
