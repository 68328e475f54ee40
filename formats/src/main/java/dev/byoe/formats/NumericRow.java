package dev.byoe.formats;

/**
 * One row as a sparse or binary format carries it: an optional label and the features that are
 * present, as 0-based feature positions with their values. Positions are strictly increasing.
 *
 * @param label the label's text, or {@code null} when the row has none
 * @param size how many features the row says it has: a dense tensor's length, a sparse tensor's
 *     shape, or (libsvm, which cannot say) one past its highest position
 */
public record NumericRow(String label, int[] positions, float[] values, int size) {
    /** A row whose size is one past its highest position. */
    public NumericRow(String label, int[] positions, float[] values) {
        this(
                label,
                positions,
                values,
                positions.length == 0 ? 0 : positions[positions.length - 1] + 1);
    }

    /**
     * A label read as a number, written as the text a CSV file would hold for it: whole numbers
     * without a fraction ({@code 1}, not {@code 1.0}), so that class labels read from numbers match
     * the same labels read from text.
     */
    public static String labelText(double value) {
        if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            return Long.toString((long) value);
        }
        return Float.toString((float) value);
    }
}
