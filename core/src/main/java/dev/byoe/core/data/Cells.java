package dev.byoe.core.data;

import ch.randelshofer.fastdoubleparser.JavaDoubleParser;
import java.nio.charset.Charset;

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

    /**
     * {@link #parseNumber(String)} of the cell in {@code bytes[from, to)} (text in {@code
     * charset}). A plain decimal ({@code -12.5}, {@code 1e-3}) is parsed from the bytes, without a
     * String; anything else (blanks around it, a missing marker, an error) takes the String route,
     * so the answer and the message are the same either way.
     */
    public static float parseNumber(byte[] bytes, int from, int to, Charset charset) {
        double d = LIBRARY_NUMBERS ? Double.NaN : shortDecimal(bytes, from, to);
        if (d != d && isPlainDecimal(bytes, from, to)) {
            d = JavaDoubleParser.parseDouble(bytes, from, to - from);
        }
        if (d == d) {
            // Parsed as a double, then rounded to float: that equals parsing as a float unless the
            // double lies exactly halfway between two floats (rounding twice could then go the
            // other way), which the String route decides. FastDoubleParser's own float parser
            // hands most 6-decimal values (cal_housing's) to Float.parseFloat; its double parser
            // does not.
            float v = (float) d;
            if (!Float.isInfinite(v) && !isHalfway(d, v)) {
                return v;
            }
        }
        return parseNumber(new String(bytes, from, to - from, charset));
    }

    /**
     * Every plain decimal goes to FastDoubleParser ({@code -Dbyoe.csv.libraryNumbers=true}): the
     * baseline of CsvReadBenchmark's measurement of {@link #shortDecimal}.
     */
    private static final boolean LIBRARY_NUMBERS = Boolean.getBoolean("byoe.csv.libraryNumbers");

    /** Powers of ten up to 10^15, each exactly a double. */
    private static final double[] POWERS_OF_TEN = {
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15
    };

    /**
     * The double nearest to a cell that is an optional sign and at most 15 digits with at most one
     * point (what request bodies hold: {@code -122.230000}), NaN for any other cell. Its digits
     * make an integer below 2^53 and its point a power of ten of at most 10^15, both exact doubles,
     * so one division rounds correctly (Clinger's fast path), in the one pass that also checks the
     * cell. Longer cells and exponents go to FastDoubleParser.
     */
    private static double shortDecimal(byte[] b, int from, int to) {
        int i = from;
        boolean negative = false;
        if (i < to && (b[i] == '-' || b[i] == '+')) {
            negative = b[i] == '-';
            i++;
        }
        long digits = 0;
        int count = 0;
        int point = -1;
        for (; i < to; i++) {
            int c = b[i] - '0';
            if (c >= 0 && c <= 9) {
                digits = digits * 10 + c;
                count++;
            } else if (b[i] == '.' && point < 0) {
                point = count;
            } else {
                return Double.NaN;
            }
        }
        if (count == 0 || count > 15) {
            return Double.NaN;
        }
        double d = point < 0 ? digits : digits / POWERS_OF_TEN[count - point];
        return negative ? -d : d;
    }

    private static boolean isHalfway(double d, float rounded) {
        // A point halfway between floats needs at most 25 significant bits, so its double has at
        // least 28 trailing zero bits: most doubles are ruled out by that alone.
        if ((Double.doubleToRawLongBits(d) & 0x0FFFFFFFL) != 0 || d == rounded) {
            return false;
        }
        float other = d > rounded ? Math.nextUp(rounded) : Math.nextDown(rounded);
        return d == ((double) rounded + (double) other) / 2;
    }

    /** An optional sign, digits with at most one point, then an optional exponent: nothing else. */
    private static boolean isPlainDecimal(byte[] b, int from, int to) {
        int i = from;
        if (i < to && (b[i] == '-' || b[i] == '+')) {
            i++;
        }
        int digits = 0;
        boolean point = false;
        for (; i < to; i++) {
            byte c = b[i];
            if (c >= '0' && c <= '9') {
                digits++;
            } else if (c == '.' && !point) {
                point = true;
            } else {
                break;
            }
        }
        if (digits == 0) {
            return false;
        }
        if (i < to && (b[i] == 'e' || b[i] == 'E')) {
            i++;
            if (i < to && (b[i] == '-' || b[i] == '+')) {
                i++;
            }
            int exponent = 0;
            for (; i < to && b[i] >= '0' && b[i] <= '9'; i++) {
                exponent++;
            }
            if (exponent == 0) {
                return false;
            }
        }
        return i == to;
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
