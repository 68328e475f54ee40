package dev.byoe.core.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
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

    /** The byte route answers exactly what the String route answers, errors included. */
    @Test
    void bytesParseAsTheirText() {
        List<String> cells = new ArrayList<>();
        Random random = new Random(5);
        for (int i = 0; i < 100_000; i++) {
            float f = Float.intBitsToFloat(random.nextInt());
            if (Float.isFinite(f)) {
                cells.add(Float.toString(f));
                // Halfway between f and its neighbour, written exactly, and a hair either side:
                // where rounding to double first and then to float could go wrong.
                BigDecimal half =
                        new BigDecimal(f)
                                .add(new BigDecimal(Math.nextUp(f)))
                                .divide(BigDecimal.TWO);
                cells.add(half.toPlainString());
                cells.add(half.toString());
                cells.add(half.add(half.ulp()).toString());
                cells.add(half.subtract(half.ulp()).toString());
            }
            cells.add(String.format(Locale.ROOT, "%.6f", random.nextGaussian() * 1e5));
            // Up to 17 digits with the point anywhere (or nowhere): both sides of the 15-digit
            // limit of the short route, leading and trailing zeros included.
            StringBuilder digits = new StringBuilder(random.nextBoolean() ? "-" : "");
            int count = 1 + random.nextInt(17);
            int point = random.nextInt(count + 2) - 1;
            for (int d = 0; d < count; d++) {
                if (d == point) {
                    digits.append('.');
                }
                digits.append((char) ('0' + random.nextInt(10)));
            }
            cells.add(digits.toString());
        }
        cells.addAll(
                List.of(
                        "-0",
                        "0",
                        "-0.000",
                        "16777217",
                        "16777219.0",
                        "-33554434.00",
                        "123456789012345",
                        "1234567890123456",
                        "0.000000000000001",
                        "0.0000000000000001",
                        "999999999999999.",
                        "+.5",
                        "-.",
                        "1.2.",
                        ".5",
                        "5.",
                        "+3",
                        "1e-45",
                        "7e-46",
                        "1e-50",
                        "3.4028235e38",
                        "3.4028236e38",
                        "1e39",
                        " 1.5",
                        "1.5 ",
                        "NA",
                        "nan",
                        "",
                        "abc",
                        "1f",
                        "2d",
                        "0x10",
                        "1e",
                        "e5",
                        "-",
                        ".",
                        "1..2",
                        "1e+",
                        "Infinity",
                        "-inf",
                        "½"));
        for (String cell : cells) {
            Object expected;
            try {
                expected = Float.floatToRawIntBits(Cells.parseNumber(cell));
            } catch (NumberFormatException e) {
                expected = e.getMessage();
            }
            // The cell between commas, alone in its array, and with digits right before and after
            // it (which must not be taken into it).
            for (String[] around : new String[][] {{",", ","}, {"", ""}, {"7", "12345678"}}) {
                byte[] bytes = (around[0] + cell + around[1]).getBytes(StandardCharsets.UTF_8);
                int from = around[0].length();
                int to = bytes.length - around[1].getBytes(StandardCharsets.UTF_8).length;
                Object actual;
                try {
                    actual =
                            Float.floatToRawIntBits(
                                    Cells.parseNumber(bytes, from, to, StandardCharsets.UTF_8));
                } catch (NumberFormatException e) {
                    actual = e.getMessage();
                }
                assertEquals(expected, actual, around[0] + "|" + cell + "|" + around[1]);
            }
        }
    }
}
