package dev.byoe.core.data;

/** How a text cell is read as a number, and which texts mean "missing". */
public final class Cells {
    private Cells() {}

    /**
     * Empty (or blank), {@code NA}, {@code NaN} or {@code null}, in any case: the documented
     * missing-value markers and no others, so that a category such as {@code None} or {@code ?}
     * stays a category.
     */
    public static boolean isMissing(String cell) {
        if (cell == null) {
            return true;
        }
        String s = cell.strip();
        return switch (s.length()) {
            case 0 -> true;
            case 2 -> s.equalsIgnoreCase("NA");
            case 3 -> s.equalsIgnoreCase("NaN");
            case 4 -> s.equalsIgnoreCase("null");
            default -> false;
        };
    }

    /**
     * The number in {@code cell}, {@code NaN} when it is missing.
     *
     * @throws NumberFormatException when it is neither a finite number nor missing
     */
    public static float parseNumber(String cell) {
        if (isMissing(cell)) {
            return Float.NaN;
        }
        String s = cell.strip();
        float v = parseDecimal(s);
        if (Float.isInfinite(v)) {
            throw new NumberFormatException("'" + s + "' is not a finite number");
        }
        return v;
    }

    /** True when the cell reads as a finite number (missing cells do not count). */
    public static boolean isNumber(String cell) {
        if (isMissing(cell)) {
            return false;
        }
        try {
            return !Float.isInfinite(parseDecimal(cell.strip()));
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static float parseDecimal(String s) {
        String unsigned = s.startsWith("+") || s.startsWith("-") ? s.substring(1) : s;
        if (unsigned.equalsIgnoreCase("inf") || unsigned.equalsIgnoreCase("infinity")) {
            throw new NumberFormatException("'" + s + "' is not a finite number");
        }
        // Float.parseFloat also accepts hex floats and a trailing 'f'/'d'; data files never mean
        // those.
        char last = s.charAt(s.length() - 1);
        if (!(last >= '0' && last <= '9') && last != '.') {
            throw new NumberFormatException("'" + s + "' is not a number");
        }
        if (s.indexOf('x') >= 0 || s.indexOf('X') >= 0) {
            throw new NumberFormatException("'" + s + "' is not a number");
        }
        return Float.parseFloat(s);
    }
}
