package dev.byoe.jobs.train.data;

import dev.byoe.core.JobFailure;
import dev.byoe.core.data.Cells;
import dev.byoe.core.data.CsvFormatException;
import dev.byoe.core.data.CsvRecordReader;
import dev.byoe.core.data.Dataset;
import dev.byoe.core.data.Feature;
import dev.byoe.core.data.FeatureBatch;
import dev.byoe.core.data.FeatureKind;
import dev.byoe.core.data.FeatureSchema;
import dev.byoe.core.data.Objective;
import dev.byoe.core.data.Target;
import dev.byoe.formats.FormatProblem;
import dev.byoe.formats.NumericChannel;
import dev.byoe.formats.NumericRow;
import dev.byoe.formats.RowFormat;
import dev.byoe.formats.parquet.ParquetTable;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads a channel's files, in one pass, into a {@link Table}: CSV, or one of the {@link RowFormat}s
 * (libsvm, RecordIO-protobuf), whose rows become records of the same cells a headerless CSV file
 * with the label first would hold, so that both give the same features. The training channel
 * decides the columns, their kinds and the label classes; other channels (validation) are read
 * against it.
 */
public final class TableReader {
    private static final int MAX_CLASSES = 10_000;

    private final ReadOptions options;
    private final Table reference;
    private String[] header;
    private int width = -1;
    private String firstSource;
    private int targetIndex;
    private List<ColumnBuilder> columns;
    private int indexBase = -1;

    /**
     * Labels, one per row, kept small (a large file must not cost a String per row): regression
     * labels as numbers, class labels as the index of their first appearance in {@link
     * #labelFirstSeen}.
     */
    private double[] labels = new double[1024];

    private int rowCount;
    private final Map<String, String> labelFirstSeen = new LinkedHashMap<>();
    private final Map<String, Integer> labelCode = new LinkedHashMap<>();
    private final List<Map<String, Object>> files = new ArrayList<>();
    private static final int SKIPPED_EXAMPLES = 10;
    private long skipped;
    private final List<String> skippedExamples = new ArrayList<>();

    private TableReader(ReadOptions options, Table reference) {
        this.options = options;
        this.reference = reference;
    }

    /**
     * Reads the training channel in {@code format}; {@code target_column} and {@code
     * categorical_columns} apply to CSV and Parquet, {@code header} to CSV, as the numeric formats
     * carry the label in their own place and numbers only.
     */
    public static Table readTraining(
            List<ChannelSource> sources, ChannelFormat format, ReadOptions options) {
        return new TableReader(options, null).read(sources, format);
    }

    /** Reads another channel, in {@code format}, like {@code reference}. */
    public static Table readLike(
            List<ChannelSource> sources,
            ChannelFormat format,
            ReadOptions options,
            Table reference) {
        return new TableReader(options, reference).read(sources, format);
    }

    private Table read(List<ChannelSource> sources, ChannelFormat format) {
        switch (format) {
            case ChannelFormat.Csv csv -> sources.forEach(this::readSource);
            case ChannelFormat.Parquet parquet ->
                    sources.stream().filter(s -> !isMarker(s)).forEach(this::readParquet);
            case ChannelFormat.Numeric numeric -> readNumeric(sources, numeric.format());
        }
        if (columns == null || rowCount == 0) {
            throw new JobFailure("channel '" + sources.getFirst().channel() + "' has no data rows");
        }
        Dataset dataset = buildDataset();
        Map<String, Object> provenance = new LinkedHashMap<>();
        provenance.put("channel", sources.getFirst().channel());
        provenance.put("rows", dataset.rows());
        provenance.put("header", header != null);
        provenance.put("content_type", format.contentType());
        if (indexBase >= 0) {
            provenance.put("libsvm_index_base", indexBase);
        }
        provenance.put("files", files);
        if (options.skipBadRows()) {
            provenance.put("skipped_rows", skipped);
            provenance.put("skipped_examples", skippedExamples);
        }
        List<String> allColumns = new ArrayList<>();
        for (int i = 0; i < width; i++) {
            allColumns.add(columnName(i));
        }
        return new Table(
                dataset,
                allColumns,
                targetIndex,
                header != null,
                provenance,
                skipped,
                List.copyOf(skippedExamples),
                indexBase);
    }

    /**
     * A channel in a {@link RowFormat}: every row as the record {@code label, feature 1, ...,
     * feature n}, features a row leaves out being 0 (libsvm's meaning of an absent index).
     */
    private void readNumeric(List<ChannelSource> sources, RowFormat format) {
        List<NumericChannel.Source> inputs = new ArrayList<>();
        for (ChannelSource source : sources) {
            inputs.add(new NumericChannel.Source(source.displayName(), source::open));
        }
        if (reference != null && reference.dataset().schema().categoricalCount() > 0) {
            throw new JobFailure(
                    "channel '"
                            + sources.getFirst().channel()
                            + "' is "
                            + format.contentTypes().getFirst()
                            + ", which carries numbers only, but the training data has categorical"
                            + " features; send this channel as text/csv");
        }
        NumericChannel channel;
        try {
            channel =
                    NumericChannel.read(
                            format, inputs, reference == null ? -1 : reference.libsvmIndexBase());
        } catch (FormatProblem e) {
            throw new JobFailure(e.getMessage());
        } catch (IOException e) {
            throw new JobFailure(
                    "cannot read channel '" + sources.getFirst().channel() + "': " + e.getMessage(),
                    e);
        }
        indexBase = channel.indexBase();
        long[] perSource = new long[sources.size()];
        if (!channel.rows().isEmpty()) {
            int features = reference != null ? reference.columns().size() - 1 : channel.width();
            String[] first = record(channel.rows().getFirst(), features);
            startNumeric(first.length, sources.getFirst().displayName());
            for (NumericChannel.Located located : channel.rows()) {
                perSource[located.source()] +=
                        addRow(record(located, features), located.where(), 0);
            }
        }
        for (int i = 0; i < sources.size(); i++) {
            files.add(fileEntry(sources.get(i), perSource[i]));
        }
    }

    private static String[] record(NumericChannel.Located located, int features) {
        NumericRow row = located.row();
        if (row.size() > features) {
            throw new JobFailure(
                    located.where()
                            + " has "
                            + row.size()
                            + " features but the training data has "
                            + features);
        }
        String[] record = new String[features + 1];
        Arrays.fill(record, "0");
        record[0] = row.label() == null ? "" : row.label();
        int[] positions = row.positions();
        float[] values = row.values();
        for (int i = 0; i < positions.length; i++) {
            record[positions[i] + 1] = Float.toString(values[i]);
        }
        return record;
    }

    /** The label first, no header; kinds come from the data (or the reference). */
    private void startNumeric(int recordWidth, String sourceName) {
        width = recordWidth;
        firstSource = sourceName;
        targetIndex = 0;
        columns = new ArrayList<>();
        FeatureSchema refSchema = reference == null ? null : reference.dataset().schema();
        for (int i = 1; i < width; i++) {
            // Against a reference (a CSV training channel, say) the features keep its names,
            // wherever its label was.
            FeatureKind fixed = refSchema != null ? refSchema.feature(i - 1).kind() : null;
            String name = refSchema != null ? refSchema.feature(i - 1).name() : columnName(i);
            columns.add(new ColumnBuilder(name, i, fixed));
        }
        if (columns.isEmpty()) {
            throw new JobFailure(sourceName + " has no features");
        }
    }

    /**
     * A Parquet file: its columns by name (the first file settles them, later files and other
     * channels are matched to them by name), their kinds from their types, a row at a time.
     */
    private void readParquet(ChannelSource source) {
        String name = source.displayName();
        byte[] bytes;
        try (InputStream in = source.open()) {
            // Parquet's footer is at the end, so a file (or a Pipe FIFO) is read whole first.
            bytes = in.readAllBytes();
        } catch (IOException e) {
            throw new JobFailure("cannot read " + name + ": " + e.getMessage(), e);
        }
        long[] rows = {0};
        try {
            ParquetTable.read(
                    name,
                    bytes,
                    new ParquetTable.RowSink() {
                        private int[] order;
                        private String[] record;

                        @Override
                        public void columns(List<ParquetTable.Column> columns) {
                            order = parquetColumns(columns, name);
                            record = new String[order.length];
                        }

                        @Override
                        public void row(String[] cells, long row) {
                            for (int i = 0; i < order.length; i++) {
                                record[i] = cells[order[i]];
                            }
                            rows[0] += addRow(record, name + " row " + row);
                        }
                    });
        } catch (FormatProblem e) {
            throw new JobFailure(e.getMessage());
        }
        files.add(fileEntry(source, rows[0]));
    }

    /**
     * Spark and Hadoop write {@code _SUCCESS}, {@code _committed_...} and {@code _metadata} beside
     * their Parquet part files; like them, a Parquet channel leaves files named {@code _...} out.
     */
    private static boolean isMarker(ChannelSource source) {
        String name = source.displayName();
        return name.substring(name.lastIndexOf('/') + 1).startsWith("_");
    }

    /**
     * For each of the table's columns, the file column that holds it. The training channel's first
     * file settles the table: its column names are the header, and a column's Parquet type fixes
     * its kind unless {@code categorical_columns} names it.
     */
    private int[] parquetColumns(List<ParquetTable.Column> columns, String sourceName) {
        List<String> names = columns.stream().map(ParquetTable.Column::name).toList();
        if (width >= 0) {
            return columnOrder(names, sourceName);
        }
        firstSource = sourceName;
        List<String> tableNames = reference != null ? reference.columns() : names;
        width = tableNames.size();
        header = tableNames.toArray(String[]::new);
        int[] order = columnOrder(names, sourceName);
        FeatureKind[] typed = new FeatureKind[width];
        for (int i = 0; i < width; i++) {
            typed[i] =
                    columns.get(order[i]).numeric() ? FeatureKind.NUMERIC : FeatureKind.CATEGORICAL;
        }
        settleColumns(typed);
        return order;
    }

    /**
     * Where each header column is among a file's {@code names}: by name, or by position when the
     * table's names are a headerless CSV file's ({@code column_0}, ...) and the widths agree.
     */
    private int[] columnOrder(List<String> names, String sourceName) {
        int[] order = new int[width];
        List<String> missing = new ArrayList<>();
        for (int i = 0; i < width; i++) {
            order[i] = names.indexOf(header[i]);
            if (order[i] < 0) {
                missing.add(header[i]);
            }
        }
        boolean positional = reference != null && !reference.header() && names.size() == width;
        if (!missing.isEmpty() && positional) {
            for (int i = 0; i < width; i++) {
                order[i] = i;
            }
            return order;
        }
        List<String> extra = new ArrayList<>(names);
        extra.removeAll(Arrays.asList(header));
        if (!missing.isEmpty() || !extra.isEmpty()) {
            throw new JobFailure(
                    sourceName
                            + " has columns "
                            + names
                            + ", but the "
                            + (reference != null ? "training data has " : "channel's first file, ")
                            + (reference != null ? "" : firstSource + ", has ")
                            + Arrays.toString(header)
                            + (missing.isEmpty() ? "" : "; missing " + missing)
                            + (extra.isEmpty() ? "" : "; not expected " + extra));
        }
        return order;
    }

    private void readSource(ChannelSource source) {
        String name = source.displayName();
        long rows = 0;
        CsvRecordReader reader = null;
        try (InputStream in = source.open()) {
            var decoder =
                    StandardCharsets.UTF_8
                            .newDecoder()
                            .onMalformedInput(CodingErrorAction.REPORT)
                            .onUnmappableCharacter(CodingErrorAction.REPORT);
            reader = new CsvRecordReader(new InputStreamReader(in, decoder));
            String[] record = reader.next();
            if (record == null) {
                files.add(fileEntry(source, 0));
                return;
            }
            if (width < 0) {
                String[] second = reader.next();
                long secondLine = reader.recordLine();
                start(record, second, name);
                if (header == null) {
                    rows += addRow(record, name, 1);
                }
                if (second != null) {
                    rows += addRow(second, name, secondLine);
                }
            } else if (header != null && sameHeader(record)) {
                // Each part of a multi-file export repeats the header row.
            } else {
                rows += addRow(record, name, reader.recordLine());
            }
            while ((record = reader.next()) != null) {
                rows += addRow(record, name, reader.recordLine());
            }
        } catch (CsvFormatException e) {
            throw new JobFailure(name + " " + e.getMessage());
        } catch (CharacterCodingException e) {
            throw new JobFailure(
                    name
                            + " is not valid UTF-8 text (near line "
                            + (reader == null ? 1 : reader.recordLine())
                            + ")");
        } catch (IOException e) {
            throw new JobFailure("cannot read " + name + ": " + e.getMessage(), e);
        }
        files.add(fileEntry(source, rows));
    }

    private static Map<String, Object> fileEntry(ChannelSource source, long rows) {
        Map<String, Object> f = source.provenance();
        f.put("rows", rows);
        return f;
    }

    /**
     * Settles the header, the width, the label column and the feature columns from the first
     * records.
     */
    private void start(String[] first, String[] second, String sourceName) {
        width = first.length;
        firstSource = sourceName;
        boolean hasHeader =
                switch (options.header()) {
                    case "true" -> true;
                    case "false" -> false;
                    default ->
                            reference != null
                                    ? reference.header() && sameAs(first, reference.columns())
                                    : !isInteger(options.targetColumn())
                                            || looksLikeHeader(first, second);
                };
        if (hasHeader) {
            header = Arrays.stream(first).map(String::strip).toArray(String[]::new);
        }
        settleColumns(null);
    }

    /**
     * The label column and the feature columns, once the width and header are known. {@code typed}
     * gives each column's kind when the format's types fix it (Parquet), else {@code null} (the
     * data decides); {@code categorical_columns} and a reference channel take precedence.
     */
    private void settleColumns(FeatureKind[] typed) {
        String sourceName = firstSource;
        if (reference != null) {
            if (width != reference.columns().size()) {
                throw new JobFailure(
                        sourceName
                                + " has "
                                + width
                                + " columns but the training data has "
                                + reference.columns().size());
            }
            targetIndex = reference.targetIndex();
        } else {
            targetIndex = resolveColumn(options.targetColumn(), "target_column");
        }
        Set<Integer> forcedCategorical = new HashSet<>();
        for (String c : options.categoricalColumns()) {
            int idx = resolveColumn(c, "categorical_columns");
            if (idx == targetIndex) {
                throw new JobFailure("categorical_columns names the label column '" + c + "'");
            }
            forcedCategorical.add(idx);
        }
        columns = new ArrayList<>();
        FeatureSchema refSchema = reference == null ? null : reference.dataset().schema();
        for (int i = 0; i < width; i++) {
            if (i == targetIndex) {
                continue;
            }
            FeatureKind fixed =
                    refSchema != null
                            ? refSchema.feature(columns.size()).kind()
                            : forcedCategorical.contains(i)
                                    ? FeatureKind.CATEGORICAL
                                    : typed == null ? null : typed[i];
            columns.add(new ColumnBuilder(columnName(i), i, fixed));
        }
        if (columns.isEmpty()) {
            throw new JobFailure(
                    "the data has only the label column; at least one feature column is needed");
        }
    }

    private String columnName(int i) {
        if (header != null) {
            return header[i];
        }
        return reference != null ? reference.columns().get(i) : "column_" + i;
    }

    private int resolveColumn(String spec, String parameter) {
        String s = spec.strip();
        if (isInteger(s)) {
            int i = Integer.parseInt(s);
            int idx = i < 0 ? width + i : i;
            if (idx < 0 || idx >= width) {
                throw new JobFailure(
                        parameter
                                + "="
                                + s
                                + " is outside the "
                                + width
                                + " columns of "
                                + firstSource);
            }
            return idx;
        }
        if (header == null) {
            throw new JobFailure(
                    parameter
                            + " names column '"
                            + s
                            + "' but "
                            + firstSource
                            + " has no header row; use a 0-based column index, or set header=true");
        }
        for (int i = 0; i < width; i++) {
            if (header[i].equals(s)) {
                return i;
            }
        }
        throw new JobFailure(
                parameter
                        + " names column '"
                        + s
                        + "', which is not in the header of "
                        + firstSource
                        + ": "
                        + Arrays.toString(header));
    }

    private boolean sameHeader(String[] record) {
        return sameAs(record, Arrays.asList(header));
    }

    private static boolean sameAs(String[] record, List<String> names) {
        if (record.length != names.size()) {
            return false;
        }
        for (int i = 0; i < record.length; i++) {
            if (!record[i].strip().equals(names.get(i))) {
                return false;
            }
        }
        return true;
    }

    /** A header row has text where the next row has a number, or text in every column. */
    private static boolean looksLikeHeader(String[] first, String[] second) {
        boolean allText = true;
        for (int i = 0; i < first.length; i++) {
            boolean text = !Cells.isMissing(first[i]) && !Cells.isNumber(first[i]);
            allText &= text;
            if (text && second != null && i < second.length && Cells.isNumber(second[i])) {
                return true;
            }
        }
        return allText && second == null;
    }

    /** Adds a row (1) or, with {@code bad_rows=skip}, counts a row that cannot be used (0). */
    private int addRow(String[] record, String source, long line) {
        return addRow(record, line == 0 ? source : source + " line " + line);
    }

    /** {@link #addRow(String[], String, long)} with the row's place already written out. */
    private int addRow(String[] record, String where) {
        // Skipping needs the whole row checked before any cell is kept; failing can find a bad cell
        // as it goes.
        String problem = problem(record, options.skipBadRows());
        if (problem != null) {
            if (!options.skipBadRows()) {
                throw badRow(where + problem);
            }
            skipped++;
            if (skippedExamples.size() < SKIPPED_EXAMPLES) {
                skippedExamples.add(where + problem);
            }
            return 0;
        }
        String label = record[targetIndex].strip();
        if (rowCount == labels.length) {
            labels = Arrays.copyOf(labels, rowCount * 2);
        }
        if (options.objective() == Objective.REGRESSION) {
            labels[rowCount++] = Cells.parseNumber(label);
        } else {
            if (labelFirstSeen.putIfAbsent(label, where) == null) {
                labelCode.put(label, labelCode.size());
            }
            labels[rowCount++] = labelCode.get(label);
        }
        for (ColumnBuilder c : columns) {
            if (!c.add(record[c.index])) {
                throw badRow(where + ", " + c.problem(record[c.index]));
            }
        }
        return 1;
    }

    private static JobFailure badRow(String problem) {
        return new JobFailure(problem + " (bad_rows=skip skips such rows and counts them)");
    }

    /**
     * Why a row cannot be used (text after the file and line), or {@code null}: its field count and
     * label, and with {@code cells} every cell against its column's kind.
     */
    private String problem(String[] record, boolean cells) {
        if (record.length != width) {
            return " has "
                    + record.length
                    + " fields; expected "
                    + width
                    + " like line 1 of "
                    + firstSource;
        }
        String label = record[targetIndex].strip();
        if (Cells.isMissing(label)) {
            return ": the label (column index "
                    + targetIndex
                    + ", '"
                    + columnName(targetIndex)
                    + "') is empty";
        }
        if (options.objective() == Objective.REGRESSION && !Cells.isNumber(label)) {
            return ": the label '"
                    + label
                    + "' (column index "
                    + targetIndex
                    + ") is not a number; objective=regression needs numeric labels";
        }
        for (int i = 0; cells && i < columns.size(); i++) {
            ColumnBuilder c = columns.get(i);
            String p = c.problem(record[c.index]);
            if (p != null) {
                return ", " + p;
            }
        }
        return null;
    }

    private Dataset buildDataset() {
        List<Feature> features = new ArrayList<>();
        for (ColumnBuilder c : columns) {
            features.add(new Feature(c.name, c.kind()));
        }
        FeatureSchema schema = new FeatureSchema(features);
        int rows = rowCount;
        float[] num = new float[rows * schema.numericCount()];
        String[] cat = new String[rows * schema.categoricalCount()];
        for (int j = 0; j < columns.size(); j++) {
            ColumnBuilder c = columns.get(j);
            int slot = schema.slot(j);
            if (c.kind() == FeatureKind.NUMERIC) {
                int nn = schema.numericCount();
                for (int r = 0; r < rows; r++) {
                    num[r * nn + slot] = c.number(r);
                }
            } else {
                int nc = schema.categoricalCount();
                for (int r = 0; r < rows; r++) {
                    cat[r * nc + slot] = c.category(r);
                }
            }
        }
        Target target = target();
        double[] y = Arrays.copyOf(labels, rows);
        if (target.objective() != Objective.REGRESSION) {
            // First-appearance codes to the target's class order.
            int[] classOf = new int[labelCode.size()];
            for (Map.Entry<String, Integer> e : labelCode.entrySet()) {
                int idx = target.classes().indexOf(e.getKey());
                if (idx < 0) {
                    throw new JobFailure(
                            labelFirstSeen.get(e.getKey())
                                    + ": label '"
                                    + e.getKey()
                                    + "' is not one of the training classes "
                                    + target.classes());
                }
                classOf[e.getValue()] = idx;
            }
            for (int r = 0; r < rows; r++) {
                y[r] = classOf[(int) y[r]];
            }
        }
        return new Dataset(new FeatureBatch(schema, rows, num, cat), y, target);
    }

    private Target target() {
        String name = columnName(targetIndex);
        Objective objective = options.objective();
        if (objective == Objective.REGRESSION) {
            return new Target(name, objective, List.of());
        }
        if (reference != null) {
            return reference.dataset().target();
        }
        List<String> classes = new ArrayList<>(labelFirstSeen.keySet());
        boolean numeric = classes.stream().allMatch(Cells::isNumber);
        classes.sort(
                numeric
                        ? (a, b) -> Float.compare(Cells.parseNumber(a), Cells.parseNumber(b))
                        : null);
        if (objective == Objective.BINARY && classes.size() != 2) {
            throw new JobFailure(
                    "objective=binary needs exactly 2 label values in column '"
                            + name
                            + "', found "
                            + classes.size()
                            + ": "
                            + preview(classes));
        }
        if (objective == Objective.MULTICLASS
                && (classes.size() < 2 || classes.size() > MAX_CLASSES)) {
            throw new JobFailure(
                    "objective=multiclass needs 2 to "
                            + MAX_CLASSES
                            + " label values in column '"
                            + name
                            + "', found "
                            + classes.size()
                            + ": "
                            + preview(classes));
        }
        return new Target(name, objective, classes);
    }

    private static String preview(List<String> values) {
        return values.size() <= 10 ? values.toString() : values.subList(0, 10) + " ...";
    }

    private static boolean isInteger(String s) {
        return s.strip().matches("-?\\d+");
    }
}
