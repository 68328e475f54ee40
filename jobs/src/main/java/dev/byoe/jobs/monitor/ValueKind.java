package dev.byoe.jobs.monitor;

import dev.byoe.core.data.Cells;
import java.util.regex.Pattern;

/** What a cell holds, judged from its text as the statistics' {@code inferred_type} is. */
enum ValueKind {
    MISSING,
    INTEGRAL,
    FRACTIONAL,
    STRING;

    private static final Pattern INTEGRAL_TEXT = Pattern.compile("[+-]?\\d{1,18}");
    // Plain decimal notation only: "NaN", "Infinity", "0x1p3" and "1f" are text, not numbers.
    private static final Pattern FRACTIONAL_TEXT =
            Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");

    static ValueKind of(String cell) {
        if (Cells.isMissing(cell)) {
            return MISSING;
        }
        String s = cell.strip();
        if (INTEGRAL_TEXT.matcher(s).matches()) {
            return INTEGRAL;
        }
        if (FRACTIONAL_TEXT.matcher(s).matches() && Double.isFinite(Double.parseDouble(s))) {
            return FRACTIONAL;
        }
        return STRING;
    }

    boolean numeric() {
        return this == INTEGRAL || this == FRACTIONAL;
    }
}
