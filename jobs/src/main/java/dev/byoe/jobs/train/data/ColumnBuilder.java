package dev.byoe.jobs.train.data;

import dev.byoe.core.data.Cells;
import dev.byoe.core.data.FeatureKind;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Collects one feature column while the file streams by. Unless its kind is fixed beforehand, a
 * column becomes categorical when its first non-missing cell is not a number and numeric otherwise;
 * a numeric column that later meets text is an error that names the cell, because silently
 * re-reading numbers as categories would change the model without telling anyone.
 */
final class ColumnBuilder {
    final String name;
    final int index;
    private FeatureKind kind;
    private int size;
    private float[] numbers = new float[1024];
    private int[] codes = new int[1024];
    private final List<String> dictionary = new ArrayList<>();
    private final Map<String, Integer> dictionaryIndex = new HashMap<>();

    ColumnBuilder(String name, int index, FeatureKind fixedKind) {
        this.name = name;
        this.index = index;
        this.kind = fixedKind;
    }

    /** Why {@code cell} cannot go into this column (text in a numeric column), or {@code null}. */
    String problem(String cell) {
        if (kind == FeatureKind.NUMERIC && !Cells.isMissing(cell) && !Cells.isNumber(cell)) {
            return "column '"
                    + name
                    + "' (index "
                    + index
                    + "): '"
                    + cell.strip()
                    + "' is not a number, but this column holds numbers; list it in categorical_columns"
                    + " if it is categorical, or fix the row";
        }
        return null;
    }

    /**
     * Adds a cell; false (and nothing added) when it is text in a numeric column, see {@link
     * #problem}.
     */
    boolean add(String cell) {
        boolean missing = Cells.isMissing(cell);
        if (kind == null && !missing) {
            kind = Cells.isNumber(cell) ? FeatureKind.NUMERIC : FeatureKind.CATEGORICAL;
        }
        // Only the array of the column's kind grows (both while it is unknown): 4 bytes per cell.
        if (kind != FeatureKind.CATEGORICAL && size == numbers.length) {
            numbers = Arrays.copyOf(numbers, size * 2);
        }
        if (kind != FeatureKind.NUMERIC && size == codes.length) {
            codes = Arrays.copyOf(codes, size * 2);
        }
        if (missing) {
            if (kind != FeatureKind.CATEGORICAL) {
                numbers[size] = Float.NaN;
            }
            if (kind != FeatureKind.NUMERIC) {
                codes[size] = -1;
            }
        } else if (kind == FeatureKind.NUMERIC) {
            try {
                numbers[size] = Cells.parseNumber(cell);
            } catch (NumberFormatException e) {
                return false;
            }
        } else {
            String v = cell.strip();
            Integer code = dictionaryIndex.get(v);
            if (code == null) {
                code = dictionary.size();
                dictionary.add(v);
                dictionaryIndex.put(v, code);
            }
            codes[size] = code;
        }
        size++;
        return true;
    }

    /** NUMERIC when the column never had a value. */
    FeatureKind kind() {
        return kind == null ? FeatureKind.NUMERIC : kind;
    }

    float number(int row) {
        return numbers[row];
    }

    String category(int row) {
        int c = codes[row];
        return c < 0 ? null : dictionary.get(c);
    }
}
