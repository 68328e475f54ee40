package dev.byoe.formats.libsvm;

import dev.byoe.core.data.Cells;
import dev.byoe.formats.FormatProblem;
import dev.byoe.formats.NumericRow;
import java.util.Arrays;

/**
 * Parses one libsvm line: an optional label, then {@code index:value} pairs in increasing index
 * order; {@code qid:} ranking groups and a {@code #} comment are ignored. Indices are kept as
 * written; {@link #row} turns them into feature positions for a given index base.
 */
public final class LibSvmLine {
    /**
     * The highest index byoe reads: every row becomes a dense array of the features, so a larger
     * index is a mistake (or an overflow) rather than data.
     */
    public static final long MAX_INDEX = 1 << 24;

    private final String label;
    private final long[] indices;
    private final float[] values;

    private LibSvmLine(String label, long[] indices, float[] values) {
        this.label = label;
        this.indices = indices;
        this.values = values;
    }

    /**
     * Parses {@code line}; {@code where} names it in errors (e.g. {@code "train/a.libsvm line 7"}).
     * With {@code labelled}, the first token is the label; otherwise a first token without a colon
     * is taken as a label and dropped, as inference requests may carry one.
     *
     * @return the line, or {@code null} when it is blank or only a comment
     */
    public static LibSvmLine parse(String line, String where, boolean labelled) {
        int hash = line.indexOf('#');
        String text = (hash >= 0 ? line.substring(0, hash) : line).strip();
        if (text.isEmpty()) {
            return null;
        }
        String[] tokens = tokens(text);
        int first = 0;
        String label = null;
        if (labelled || tokens[0].indexOf(':') < 0) {
            label = tokens[0];
            first = 1;
            if (labelled && label.indexOf(':') >= 0) {
                throw new FormatProblem(
                        where
                                + ": the line starts with '"
                                + label
                                + "'; a libsvm line starts with its label");
            }
            checkNumber(label, where, "the label");
        }
        long[] indices = new long[tokens.length - first];
        float[] values = new float[tokens.length - first];
        int n = 0;
        for (int t = first; t < tokens.length; t++) {
            String token = tokens[t];
            int colon = token.indexOf(':');
            if (colon <= 0 || colon == token.length() - 1) {
                throw new FormatProblem(
                        where + ", token " + (t + 1) + ": '" + token + "' is not index:value");
            }
            String indexText = token.substring(0, colon);
            if (indexText.equals("qid")) {
                continue;
            }
            long index = index(indexText, where, t + 1);
            if (n > 0 && index <= indices[n - 1]) {
                throw new FormatProblem(
                        where
                                + ", token "
                                + (t + 1)
                                + ": index "
                                + index
                                + " follows index "
                                + indices[n - 1]
                                + "; indices must increase along a line");
            }
            indices[n] = index;
            values[n] = checkNumber(token.substring(colon + 1), where, "index " + index);
            n++;
        }
        return new LibSvmLine(label, Arrays.copyOf(indices, n), Arrays.copyOf(values, n));
    }

    /**
     * {@code text} split at runs of spaces and tabs (it has no leading or trailing ones); a scan
     * rather than {@code String.split}'s regular expression, which cost about a tenth of a channel
     * read (FormatReadBenchmark).
     */
    private static String[] tokens(String text) {
        int count = 1;
        for (int i = 1; i < text.length(); i++) {
            if (isBlank(text.charAt(i)) && !isBlank(text.charAt(i - 1))) {
                count++;
            }
        }
        String[] out = new String[count];
        int n = 0;
        int start = 0;
        for (int i = 0; i <= text.length(); i++) {
            if (i == text.length() || isBlank(text.charAt(i))) {
                if (i > start) {
                    out[n++] = text.substring(start, i);
                }
                start = i + 1;
            }
        }
        return out;
    }

    private static boolean isBlank(char c) {
        return c == ' ' || c == '\t';
    }

    private static long index(String text, String where, int token) {
        long index;
        try {
            index = Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new FormatProblem(
                    where
                            + ", token "
                            + token
                            + ": index '"
                            + text
                            + "' is not a whole number (or overflows)");
        }
        if (index < 0 || index > MAX_INDEX) {
            throw new FormatProblem(
                    where
                            + ", token "
                            + token
                            + ": index "
                            + index
                            + " is outside 0.."
                            + MAX_INDEX);
        }
        return index;
    }

    /**
     * {@code text} as a number by the rules every CSV cell follows ({@link Cells}), except that the
     * missing-value markers are not numbers here: libsvm has no missing values.
     */
    private static float checkNumber(String text, String where, String what) {
        if (Cells.isMissing(text)) {
            throw new FormatProblem(where + ": " + what + " '" + text + "' is not a number");
        }
        try {
            return Cells.parseNumber(text);
        } catch (NumberFormatException e) {
            throw new FormatProblem(where + ": " + what + " " + e.getMessage());
        }
    }

    /** The label as written, or {@code null}. */
    public String label() {
        return label;
    }

    /** The smallest index on the line, or -1 when it has none. */
    public long smallestIndex() {
        return indices.length == 0 ? -1 : indices[0];
    }

    /**
     * The line as feature positions: index {@code base} is position 0.
     *
     * @throws FormatProblem when an index is below the base (index 0 in a 1-based model)
     */
    public NumericRow row(int base, String where) {
        int[] positions = new int[indices.length];
        for (int i = 0; i < indices.length; i++) {
            if (indices[i] < base) {
                throw new FormatProblem(
                        where + ": index " + indices[i] + " is below the index base " + base);
            }
            positions[i] = (int) (indices[i] - base);
        }
        return new NumericRow(label, positions, values.clone());
    }
}
