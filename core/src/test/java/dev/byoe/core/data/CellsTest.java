package dev.byoe.core.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class CellsTest {
    @Test
    void missingMarkers() {
        for (String s : new String[] {"", " ", "NA", "nan", "NaN", "null", "NULL"}) {
            assertTrue(Cells.isMissing(s), s);
            assertTrue(Float.isNaN(Cells.parseNumber(s)), s);
        }
        // Only the documented markers: these are values (a category named None must not vanish).
        for (String s : new String[] {"0", "None", "?", "N/A", "none", "-"}) {
            assertFalse(Cells.isMissing(s), s);
        }
    }

    @Test
    void numbersAndNot() {
        assertEquals(-1.5e3f, Cells.parseNumber(" -1.5e3 "));
        assertEquals(7f, Cells.parseNumber("7."));
        for (String s : new String[] {"abc", "1f", "2d", "0x10", "1,5"}) {
            assertFalse(Cells.isNumber(s), s);
            assertThrows(NumberFormatException.class, () -> Cells.parseNumber(s), s);
        }
        assertThrows(NumberFormatException.class, () -> Cells.parseNumber("Infinity"));
        assertThrows(NumberFormatException.class, () -> Cells.parseNumber("1e999"));
    }
}
