package dev.byoe.logs;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A header template such as {@code <Date> <Time> <Pid> <Level> <Component>: <Content>}: each {@code
 * <Name>} is a field matched lazily, the text between fields is a regex fragment in which every run
 * of spaces means "one or more white-space characters", and the whole line (stripped) must match.
 * This is the format language of LogHub's benchmark settings.
 *
 * <p>Most formats separate fields with plain text; those are split by a scanner that finds each
 * separator in turn, which gives the same fields as the lazy regex whenever it succeeds and is
 * several times faster. Formats with regex syntax between fields, and lines the scanner cannot
 * split, go through the regex.
 */
public final class LogFormat {
    private static final Pattern FIELD = Pattern.compile("<([A-Za-z_][A-Za-z0-9_]*)>");
    private static final long REGEX_BUDGET_PER_CHAR = 200;
    private static final long REGEX_BUDGET_BASE = 20_000;

    private final String text;
    private final List<String> fields;
    private final Pattern regex;

    /**
     * Literal separators after each field but the last, or null when a separator is not plain text.
     */
    private final String[] separators;

    private final String prefix;
    private final int contentIndex;

    public LogFormat(String text) {
        this.text = text;
        this.fields = new ArrayList<>();
        List<String> literals = new ArrayList<>();
        Matcher m = FIELD.matcher(text);
        StringBuilder re = new StringBuilder("^");
        int last = 0;
        while (m.find()) {
            literals.add(text.substring(last, m.start()));
            re.append(text.substring(last, m.start()).replaceAll(" +", "\\\\s+"));
            String name = m.group(1);
            if (fields.contains(name)) {
                throw new IllegalArgumentException(
                        "log_format names field <" + name + "> twice: " + text);
            }
            fields.add(name);
            re.append("(?<").append(name).append(">.*?)");
            last = m.end();
        }
        literals.add(text.substring(last));
        re.append(text.substring(last).replaceAll(" +", "\\\\s+")).append('$');
        if (fields.isEmpty()) {
            throw new IllegalArgumentException("log_format has no <Field>: " + text);
        }
        this.contentIndex = fields.indexOf("Content");
        if (contentIndex < 0) {
            throw new IllegalArgumentException("log_format must have a <Content> field: " + text);
        }
        this.regex = Pattern.compile(re.toString());
        this.prefix = literals.get(0);
        String[] seps = new String[fields.size() - 1];
        boolean plain =
                isPlain(prefix)
                        && isPlain(literals.get(literals.size() - 1))
                        && literals.get(literals.size() - 1).isEmpty();
        for (int i = 1; i < literals.size() - 1 && plain; i++) {
            plain = isPlain(literals.get(i)) && !literals.get(i).isEmpty();
            seps[i - 1] = literals.get(i);
        }
        this.separators = plain ? seps : null;
    }

    private static boolean isPlain(String literal) {
        for (int i = 0; i < literal.length(); i++) {
            if ("\\[](){}.*+?^$|".indexOf(literal.charAt(i)) >= 0) {
                return false;
            }
        }
        return true;
    }

    public String text() {
        return text;
    }

    public List<String> fields() {
        return fields;
    }

    public int contentIndex() {
        return contentIndex;
    }

    /**
     * Splits {@code line} into its fields, written into {@code out} (length {@code
     * fields().size()}); false when the line does not match the format.
     */
    public boolean split(String line, String[] out) {
        String s = line.strip();
        if (separators != null && prefix.isEmpty() && scan(s, out)) {
            return true;
        }
        // Lazy fields backtrack: a hostile line (many separators, no match) would take time
        // polynomial in its length with the field count as the exponent. A budget linear in the
        // length bounds that; a line over it is one that does not match the format.
        Matcher m =
                regex.matcher(
                        new BoundedText(
                                s, REGEX_BUDGET_PER_CHAR * (long) s.length() + REGEX_BUDGET_BASE));
        try {
            if (!m.matches()) {
                return false;
            }
        } catch (BoundedText.Exhausted e) {
            return false;
        }
        for (int i = 0; i < fields.size(); i++) {
            // By name: the format's own regex fragments may add groups; an optional field may not
            // take part.
            String v = m.group(fields.get(i));
            out[i] = v == null ? "" : v;
        }
        return true;
    }

    /** The lazy regex's first choice at every field, without backtracking. */
    private boolean scan(String s, String[] out) {
        int pos = 0;
        for (int i = 0; i < separators.length; i++) {
            String sep = separators[i];
            int end = find(s, pos, sep);
            if (end < 0) {
                return false;
            }
            out[i] = s.substring(pos, end);
            pos = skip(s, end, sep);
        }
        out[separators.length] = s.substring(pos);
        return true;
    }

    /** First index at or after {@code from} where {@code sep} matches, spaces in it meaning \s+. */
    private static int find(String s, int from, String sep) {
        for (int start = from; start < s.length(); start++) {
            if (skip(s, start, sep) >= 0) {
                return start;
            }
        }
        return -1;
    }

    /** The characters of the regex class {@code \\s}. */
    private static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == 0x0B || c == '\f' || c == '\r';
    }

    /** End of a match of {@code sep} at {@code at} (white-space runs greedy), or -1. */
    private static int skip(String s, int at, String sep) {
        int i = at;
        int j = 0;
        while (j < sep.length()) {
            char c = sep.charAt(j);
            if (c == ' ') {
                if (i >= s.length() || !isSpace(s.charAt(i))) {
                    return -1;
                }
                while (i < s.length() && isSpace(s.charAt(i))) {
                    i++;
                }
                while (j < sep.length() && sep.charAt(j) == ' ') {
                    j++;
                }
            } else {
                if (i >= s.length() || s.charAt(i) != c) {
                    return -1;
                }
                i++;
                j++;
            }
        }
        return i;
    }

    /** A line whose characters may be read a limited number of times (by a regex engine). */
    private static final class BoundedText implements CharSequence {
        private static final Exhausted EXHAUSTED = new Exhausted();
        private final String s;
        private long left;

        BoundedText(String s, long budget) {
            this.s = s;
            this.left = budget;
        }

        @Override
        public char charAt(int index) {
            if (--left < 0) {
                throw EXHAUSTED;
            }
            return s.charAt(index);
        }

        @Override
        public int length() {
            return s.length();
        }

        @Override
        public CharSequence subSequence(int start, int end) {
            return s.substring(start, end);
        }

        @Override
        public String toString() {
            return s;
        }

        /**
         * Thrown once the budget is spent; shared and without a stack trace, as it is not an error.
         */
        static final class Exhausted extends RuntimeException {
            Exhausted() {
                super("regex budget spent", null, false, false);
            }
        }
    }
}
