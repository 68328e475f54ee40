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

    static ValueKind of(String cell) {
        if (Cells.isMissing(cell)) {
            return MISSING;
        }
        // A number is what serving reads as one (Cells), so that "1e40", which overflows the
        // float a model sees, is monitored as text, as the endpoint refuses it.
        if (!Cells.isNumber(cell)) {
            return STRING;
        }
        return INTEGRAL_TEXT.matcher(cell.strip()).matches() ? INTEGRAL : FRACTIONAL;
    }

    boolean numeric() {
        return this == INTEGRAL || this == FRACTIONAL;
    }
}
