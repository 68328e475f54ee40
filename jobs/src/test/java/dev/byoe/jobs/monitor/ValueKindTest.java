package dev.byoe.jobs.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.byoe.core.data.Cells;
import org.junit.jupiter.api.Test;

/** Monitoring calls a cell a number exactly when serving reads it as one. */
class ValueKindTest {
    @Test
    void numbersAreWhatServingReadsAsNumbers() {
        for (String cell :
                new String[] {
                    "7",
                    "-3",
                    "+12",
                    "2.5",
                    ".5",
                    "1.",
                    "1e5",
                    "1e40",
                    "Infinity",
                    "0x1p3",
                    "1f",
                    "NaN",
                    "",
                    "NA",
                    "None",
                    "abc"
                }) {
            ValueKind kind = ValueKind.of(cell);
            assertEquals(Cells.isNumber(cell), kind.numeric(), cell + " is " + kind);
            assertEquals(Cells.isMissing(cell), kind == ValueKind.MISSING, cell + " is " + kind);
        }
        assertEquals(ValueKind.STRING, ValueKind.of("1e40"), "overflows the float a model sees");
        assertEquals(ValueKind.INTEGRAL, ValueKind.of(" 42 "));
        assertEquals(ValueKind.FRACTIONAL, ValueKind.of("4.2e1"));
    }
}
