package dev.byoe.jobs.monitor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.byoe.core.JobFailure;
import dev.byoe.core.Json;
import dev.byoe.core.data.CsvFormatException;
import dev.byoe.core.data.CsvRecordReader;
import dev.byoe.core.data.FeatureSchema;
import dev.byoe.core.data.JsonRows;
import dev.byoe.core.io.Compressed;
import dev.byoe.formats.FormatProblem;
import dev.byoe.formats.NumericChannel;
import dev.byoe.formats.NumericRow;
import dev.byoe.formats.RowFormat;
import dev.byoe.formats.parquet.ParquetTable;
import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Reads every file under {@code dataset_source} (recursively, sorted, gzip detected by content)
 * into a {@link DatasetProfile}. Captured records outside [{@code start}, {@code end}) are skipped.
 *
 * @param fallbackNames names for headerless positional columns (the baseline's features), may be
 *     empty
 */
record DatasetReader(
        DatasetFormat format,
        List<String> fallbackNames,
        Instant start,
        Instant end,
        ReadProblems problems) {
    private static final ObjectMapper JSON = Json.MAPPER;

    /** What was read: rows profiled, files, and captured records left out by the time window. */
    record Counts(long files, long outsideWindow) {}

    Counts read(Path source, DatasetProfile profile) throws IOException {
        if (!Files.exists(source)) {
            throw new JobFailure("dataset_source " + source + " does not exist");
        }
        List<Path> files;
        try (Stream<Path> s = Files.walk(source)) {
            files =
                    s.filter(Files::isRegularFile)
                            .filter(p -> !p.getFileName().toString().startsWith("."))
                            .sorted()
                            .toList();
        }
        if (files.isEmpty()) {
            throw new JobFailure("dataset_source " + source + " holds no files");
        }
        long[] outside = {0};
        for (Path file : files) {
            try (BufferedInputStream in = new BufferedInputStream(open(file), 1 << 16)) {
                in.mark(4);
                byte[] head = in.readNBytes(4);
                in.reset();
                if (format.kind() == DatasetFormat.Kind.PARQUET
                        || (format.kind() == DatasetFormat.Kind.AUTO
                                && ParquetTable.looksLikeParquet(head, head.length))) {
                    parquet(file, in.readAllBytes(), profile);
                } else {
                    readFile(file, in, profile, outside);
                }
            } catch (CsvFormatException e) {
                throw new JobFailure(file + " " + e.getMessage());
            }
        }
        return new Counts(files.size(), outside[0]);
    }

    private void readFile(Path file, InputStream in, DatasetProfile profile, long[] outside)
            throws IOException {
        BufferedReader text =
                new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 1 << 16);
        text.mark(1);
        if (text.read() != '\uFEFF') {
            text.reset(); // no byte-order mark (Excel's UTF-8 exports start with one) to drop
        }
        DatasetFormat.Kind kind =
                format.kind() == DatasetFormat.Kind.AUTO ? detect(text) : format.kind();
        switch (kind) {
            case CSV, AUTO -> csv(file.toString(), text, profile, format.header());
            case PARQUET -> throw new IllegalStateException("Parquet is read from bytes");
            case JSON -> json(file, text, profile);
            case CAPTURE -> capture(file, text, profile, outside);
        }
    }

    /** A Parquet file: its column names and a row at a time, as the CSV reader gives them. */
    private static void parquet(Path file, byte[] bytes, DatasetProfile profile) {
        try {
            ParquetTable.read(
                    file.toString(),
                    bytes,
                    new ParquetTable.RowSink() {
                        private List<String> names;

                        @Override
                        public void columns(List<ParquetTable.Column> columns) {
                            names = columns.stream().map(ParquetTable.Column::name).toList();
                        }

                        @Override
                        public void row(String[] cells, long row) {
                            profile.positional(Arrays.asList(cells), names);
                        }
                    });
        } catch (FormatProblem e) {
            throw new JobFailure(e.getMessage());
        }
    }

    /** Captured data, JSON or else CSV, from the first characters of the file. */
    private static DatasetFormat.Kind detect(BufferedReader text) throws IOException {
        text.mark(1 << 15);
        char[] head = new char[1 << 14];
        int n = text.read(head);
        text.reset();
        String start = n <= 0 ? "" : new String(head, 0, n).stripLeading();
        if (start.startsWith("{") && start.contains("\"captureData\"")) {
            return DatasetFormat.Kind.CAPTURE;
        }
        return start.startsWith("{") || start.startsWith("[")
                ? DatasetFormat.Kind.JSON
                : DatasetFormat.Kind.CSV;
    }

    private void csv(String where, Reader text, DatasetProfile profile, Boolean header)
            throws IOException {
        CsvRecordReader csv = new CsvRecordReader(text);
        String[] first = csv.next();
        if (first == null) {
            return;
        }
        List<String> names = !format.columns().isEmpty() ? format.columns() : fallbackNames;
        if (header == null ? looksLikeHeader(first) : header) {
            names = Arrays.asList(first);
            first = csv.next();
        }
        for (String[] row = first; row != null; row = csv.next()) {
            profile.positional(Arrays.asList(row), names);
        }
    }

    /**
     * Every cell text, none missing, none repeated: a header row (a dataset of text only needs
     * "header": true).
     */
    static boolean looksLikeHeader(String[] row) {
        for (String cell : row) {
            if (ValueKind.of(cell) != ValueKind.STRING) {
                return false;
            }
        }
        return new HashSet<>(Arrays.asList(row)).size() == row.length;
    }

    private void json(Path file, Reader text, DatasetProfile profile) throws IOException {
        // Concatenated values: JSON Lines, and a single JSON document too.
        try (MappingIterator<JsonNode> values = JSON.readerFor(JsonNode.class).readValues(text)) {
            while (values.hasNextValue()) {
                profileRows(values.nextValue(), profile, fallbackNames);
            }
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            long line = e.getLocation() == null ? -1 : e.getLocation().getLineNr();
            problems.add(
                    file + " line " + line,
                    "not valid JSON, the rest of the file is skipped ("
                            + e.getOriginalMessage()
                            + ")");
        }
    }

    private void capture(Path file, BufferedReader text, DatasetProfile profile, long[] outside)
            throws IOException {
        long lineNo = 0;
        for (String line = text.readLine(); line != null; line = text.readLine()) {
            lineNo++;
            if (line.isBlank()) {
                continue;
            }
            String where = file + " line " + lineNo;
            try {
                JsonNode event = JSON.readTree(line);
                if (!inWindow(
                        event.path("eventMetadata").path("inferenceTime").asText(null), where)) {
                    outside[0]++;
                    continue;
                }
                JsonNode input = event.path("captureData").path("endpointInput");
                if (input.isMissingNode()) {
                    problems.add(where, "no captureData.endpointInput");
                    continue;
                }
                capturedInput(input, where, profile);
            } catch (com.fasterxml.jackson.core.JacksonException e) {
                problems.add(where, "not valid JSON (" + e.getOriginalMessage() + ")");
            } catch (CsvFormatException | IllegalArgumentException e) {
                problems.add(where, e.getMessage());
            }
        }
    }

    private boolean inWindow(String time, String where) {
        if (time == null || (start == null && end == null)) {
            return true;
        }
        try {
            Instant t = Instant.parse(time);
            return (start == null || !t.isBefore(start)) && (end == null || t.isBefore(end));
        } catch (DateTimeParseException e) {
            problems.add(
                    where,
                    "eventMetadata.inferenceTime '"
                            + time
                            + "' is not an ISO-8601 time; the record is kept");
            return true;
        }
    }

    /** {@code data} decoded per {@code encoding}, then read per {@code observedContentType}. */
    private void capturedInput(JsonNode input, String where, DatasetProfile profile)
            throws IOException {
        String encoding = input.path("encoding").asText("");
        String data = input.path("data").asText("");
        String observed = input.path("observedContentType").asText("");
        Optional<RowFormat> numeric = RowFormat.ofContentType(observed);
        if (numeric.isPresent()) {
            numericRows(numeric.get(), encoding, data, where, profile);
            return;
        }
        if (encoding.equalsIgnoreCase("BASE64")) {
            data = CaptureText.fromBase64(data);
        } else if (!encoding.equalsIgnoreCase("CSV") && !encoding.equalsIgnoreCase("JSON")) {
            throw new IllegalArgumentException(
                    "encoding '" + encoding + "' is not CSV, JSON or BASE64");
        }
        String type =
                input.path("observedContentType").asText("").toLowerCase(java.util.Locale.ROOT);
        if (type.contains("csv")) {
            // Captured requests carry features only, in the baseline's order, without a header.
            csv(where, new StringReader(data), profile, false);
        } else if (type.contains("jsonlines")
                || type.contains("json-lines")
                || type.contains("x-ndjson")) {
            for (String line : data.split("\n")) {
                if (!line.isBlank()) {
                    profileRows(JSON.readTree(line), profile, fallbackNames);
                }
            }
        } else if (type.contains("json")) {
            profileRows(JSON.readTree(data), profile, fallbackNames);
        } else {
            throw new IllegalArgumentException(
                    "observedContentType '" + type + "' is not CSV, JSON or JSON Lines");
        }
    }

    /**
     * A captured libsvm or RecordIO-protobuf request: each row becomes the positional cells the
     * endpoint scored, features a row leaves out being 0. libsvm indices are read 1-based, as the
     * endpoint reads them for a model trained from CSV.
     */
    private void numericRows(
            RowFormat format, String encoding, String data, String where, DatasetProfile profile)
            throws IOException {
        byte[] bytes =
                encoding.equalsIgnoreCase("BASE64")
                        ? CaptureText.bytesFromBase64(data)
                        : data.getBytes(StandardCharsets.UTF_8);
        NumericChannel rows;
        try {
            rows =
                    NumericChannel.read(
                            format,
                            List.of(
                                    new NumericChannel.Source(
                                            "the captured data",
                                            () -> new java.io.ByteArrayInputStream(bytes))),
                            FeatureSchema.DEFAULT_SPARSE_INDEX_BASE,
                            false);
        } catch (FormatProblem e) {
            throw new IllegalArgumentException(e.getMessage());
        }
        for (NumericChannel.Located located : rows.rows()) {
            NumericRow row = located.row();
            List<String> cells =
                    new ArrayList<>(
                            java.util.Collections.nCopies(
                                    Math.max(fallbackNames.size(), row.size()), "0"));
            for (int i = 0; i < row.positions().length; i++) {
                float v = row.values()[i];
                cells.set(row.positions()[i], Float.isNaN(v) ? "" : Float.toString(v));
            }
            profile.positional(cells, fallbackNames);
        }
    }

    private static InputStream open(Path file) throws IOException {
        return Compressed.open(Files.newInputStream(file));
    }

    /** Every row of a JSON document, in the shapes the endpoint accepts ({@link JsonRows}). */
    private static void profileRows(JsonNode document, DatasetProfile profile, List<String> names) {
        List<JsonNode> rows = new ArrayList<>();
        JsonRows.addRows(document, rows);
        for (JsonNode row : rows) {
            JsonNode values = JsonRows.values(row);
            if (values.isArray()) {
                List<String> cells = new ArrayList<>(values.size());
                values.forEach(c -> cells.add(JsonRows.text(c)));
                profile.positional(cells, names);
            } else if (values.isObject()) {
                Map<String, String> cells = new LinkedHashMap<>();
                values.properties()
                        .forEach(e -> cells.put(e.getKey(), JsonRows.text(e.getValue())));
                profile.named(cells);
            } else {
                profile.positional(
                        java.util.Collections.singletonList(JsonRows.text(values)), names);
            }
        }
    }
}
