package dev.byoe.jobs.evaluate;

import dev.byoe.core.JobFailure;
import dev.byoe.core.data.Cells;
import dev.byoe.core.data.CsvRecordReader;
import dev.byoe.core.data.FeatureBatch;
import dev.byoe.core.data.FeatureKind;
import dev.byoe.core.data.FeatureSchema;
import dev.byoe.core.data.Target;
import dev.byoe.formats.FormatProblem;
import dev.byoe.formats.parquet.ParquetTable;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A held-out CSV file with a header naming its columns: the rows as a model's features (matched by
 * column name, so models trained on differently ordered columns are scored on the same data) and
 * the target as that model's labels. A cell a model cannot read fails the job naming row and
 * column.
 */
final class HeldOutSet {
    private final List<String> header;
    private final List<String[]> rows;
    private final Path file;

    private HeldOutSet(Path file, List<String> header, List<String[]> rows) {
        this.file = file;
        this.header = header;
        this.rows = rows;
    }

    static HeldOutSet read(Path file) throws IOException {
        byte[] head = new byte[4];
        try (var in = Files.newInputStream(file)) {
            if (ParquetTable.looksLikeParquet(head, in.readNBytes(head, 0, head.length))) {
                return readParquet(file);
            }
        }
        List<String[]> rows = new ArrayList<>();
        String[] header;
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8);
                CsvRecordReader csv = new CsvRecordReader(in)) {
            header = csv.next();
            if (header == null) {
                throw new JobFailure(file + " is empty; a held-out set needs a header row");
            }
            String[] r;
            while ((r = csv.next()) != null) {
                if (r.length != header.length) {
                    throw new JobFailure(
                            file
                                    + " row "
                                    + (rows.size() + 1)
                                    + " has "
                                    + r.length
                                    + " fields; the header has "
                                    + header.length);
                }
                rows.add(r);
            }
        }
        if (rows.isEmpty()) {
            throw new JobFailure(file + " has no data rows");
        }
        return new HeldOutSet(file, Arrays.stream(header).map(String::strip).toList(), rows);
    }

    /** A Parquet held-out set: its column names are the header, its rows the cells. */
    private static HeldOutSet readParquet(Path file) throws IOException {
        List<String[]> rows = new ArrayList<>();
        List<String> header = new ArrayList<>();
        try {
            ParquetTable.read(
                    file.toString(),
                    Files.readAllBytes(file),
                    new ParquetTable.RowSink() {
                        @Override
                        public void columns(List<ParquetTable.Column> columns) {
                            columns.forEach(c -> header.add(c.name()));
                        }

                        @Override
                        public void row(String[] cells, long row) {
                            rows.add(cells.clone());
                        }
                    });
        } catch (FormatProblem e) {
            throw new JobFailure(e.getMessage());
        }
        if (rows.isEmpty()) {
            throw new JobFailure(file + " has no data rows");
        }
        return new HeldOutSet(file, List.copyOf(header), rows);
    }

    int size() {
        return rows.size();
    }

    private int column(String name) {
        int i = header.indexOf(name);
        if (i < 0) {
            throw new JobFailure(
                    file + " has no column '" + name + "' (its header: " + header + ")");
        }
        return i;
    }

    FeatureBatch features(FeatureSchema schema) {
        int n = rows.size();
        float[] numeric = new float[n * schema.numericCount()];
        String[] categorical = new String[n * schema.categoricalCount()];
        int[] columns = new int[schema.size()];
        for (int f = 0; f < schema.size(); f++) {
            columns[f] = column(schema.feature(f).name());
        }
        for (int r = 0; r < n; r++) {
            for (int f = 0; f < schema.size(); f++) {
                String cell = rows.get(r)[columns[f]];
                int slot = schema.slot(f);
                if (schema.feature(f).kind() == FeatureKind.CATEGORICAL) {
                    categorical[r * schema.categoricalCount() + slot] =
                            Cells.isMissing(cell) ? null : cell.strip();
                } else {
                    try {
                        numeric[r * schema.numericCount() + slot] = Cells.parseNumber(cell);
                    } catch (NumberFormatException e) {
                        throw new JobFailure(
                                where(r, header.get(columns[f])) + ": " + e.getMessage());
                    }
                }
            }
        }
        return new FeatureBatch(schema, n, numeric, categorical);
    }

    /** The target column as the model's labels: values, or class indexes. */
    double[] labels(Target target) {
        int c = column(target.name());
        double[] out = new double[rows.size()];
        Map<String, Integer> classes = new HashMap<>();
        for (int i = 0; i < target.classes().size(); i++) {
            classes.put(target.classes().get(i), i);
        }
        for (int r = 0; r < rows.size(); r++) {
            String cell = rows.get(r)[c].strip();
            if (classes.isEmpty()) {
                try {
                    out[r] = Double.parseDouble(cell);
                } catch (NumberFormatException e) {
                    throw new JobFailure(
                            where(r, target.name()) + ": '" + cell + "' is not a number");
                }
            } else {
                Integer k = classes.get(cell);
                if (k == null) {
                    throw new JobFailure(
                            where(r, target.name())
                                    + ": '"
                                    + cell
                                    + "' is not one of the model's classes "
                                    + target.classes());
                }
                out[r] = k;
            }
        }
        return out;
    }

    /** A cell's place as a person reads the file: 1-based row, column by name. */
    private String where(int row, String column) {
        return file + " row " + (row + 1) + ", column '" + column + "'";
    }
}
