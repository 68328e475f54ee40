package dev.byoe.jobs.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.jayway.jsonpath.JsonPath;
import dev.byoe.core.Json;
import dev.byoe.core.data.CsvRecordReader;
import dev.byoe.core.data.CsvText;
import dev.byoe.formats.FormatProblem;
import dev.byoe.formats.RowFormat;
import dev.byoe.formats.parquet.ParquetTable;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.zip.GZIPInputStream;

/**
 * The batch transform agent: splits each input object into records ({@code SplitType}), applies
 * {@code DataProcessing.InputFilter}, packs records into requests ({@code BatchStrategy} within
 * {@code MaxPayloadInMB}), posts them to the model server ({@code MaxConcurrentTransforms} at
 * once), joins each answer with its input ({@code JoinSource}), applies {@code OutputFilter} and
 * writes {@code <object>.out} ({@code AssembleWith}). Filters are JSONPath; a CSV record is a JSON
 * array of its fields, as SageMaker treats it. Every record gets its answer, or the job fails
 * naming the object and records.
 */
final class BatchTransform {
    /** The request's settings (resolved: defaults from the server's execution parameters). */
    record Settings(
            String contentType,
            String accept,
            boolean splitLines,
            boolean multiRecord,
            long maxPayloadBytes,
            int concurrency,
            boolean assembleLines,
            String inputFilter,
            String outputFilter,
            boolean joinInput,
            boolean gzip) {}

    private final Settings settings;
    private final URI invocations;
    private final HttpClient http = HttpClient.newHttpClient();

    BatchTransform(Settings settings, URI invocations) {
        this.settings = settings;
        this.invocations = invocations;
    }

    /** Transforms one object; returns how many records it held. */
    int transform(Path input, String name, Path output)
            throws IOException, InterruptedException, StepFailure {
        if (isBinary(settings.contentType()) || isBinary(settings.accept())) {
            return transformWhole(read(input), name, output);
        }
        List<String> records = records(read(input));
        List<List<Integer>> batches = batches(records, name);
        List<String> answers = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, settings.concurrency()));
        try {
            List<Future<List<String>>> pending = new ArrayList<>();
            for (List<Integer> batch : batches) {
                pending.add(pool.submit(() -> invoke(records, batch, name)));
            }
            for (Future<List<String>> f : pending) {
                answers.addAll(f.get());
            }
        } catch (ExecutionException e) {
            if (e.getCause() instanceof StepFailure failure) {
                throw failure;
            }
            throw new StepFailure("ClientError: " + name + ": " + e.getCause());
        } finally {
            pool.shutdownNow();
        }
        Files.createDirectories(output.getParent());
        try (OutputStream out = Files.newOutputStream(output)) {
            for (int i = 0; i < records.size(); i++) {
                String joined =
                        settings.joinInput()
                                ? join(records.get(i), answers.get(i))
                                : answers.get(i);
                out.write(
                        filter(
                                        joined,
                                        settings.outputFilter(),
                                        settings.joinInput()
                                                ? settings.contentType()
                                                : settings.accept())
                                .getBytes(StandardCharsets.UTF_8));
                if (settings.assembleLines()) {
                    out.write('\n');
                }
            }
        }
        return records.size();
    }

    /**
     * A binary object (Parquet, RecordIO) goes to the server whole, as one request ({@code
     * SplitType: None}; the step refuses filters and joins for it), and the answer is written as it
     * came. A Parquet object's rows are counted from its footer, and a text answer must have a line
     * for each.
     */
    private int transformWhole(byte[] body, String name, Path output)
            throws IOException, InterruptedException, StepFailure {
        if (body.length > settings.maxPayloadBytes()) {
            throw new StepFailure(
                    "ClientError: "
                            + name
                            + " is "
                            + body.length
                            + " bytes, more than MaxPayloadInMB allows for one request");
        }
        long rows = -1;
        if (ParquetTable.isContentType(settings.contentType())) {
            try {
                rows = ParquetTable.rowCount(name, body);
            } catch (FormatProblem e) {
                throw new StepFailure("ClientError: " + e.getMessage());
            }
        }
        HttpRequest.Builder request =
                HttpRequest.newBuilder(invocations)
                        .header("Content-Type", settings.contentType())
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (settings.accept() != null) {
            request.header("Accept", settings.accept());
        }
        HttpResponse<byte[]> response =
                http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        if (response.statusCode() != 200) {
            throw new StepFailure(
                    "ClientError: "
                            + name
                            + ": the model answered HTTP "
                            + response.statusCode()
                            + ": "
                            + new String(response.body(), StandardCharsets.UTF_8).strip());
        }
        byte[] answer = response.body();
        if (rows >= 0 && !isBinary(settings.accept()) && !isJsonDocument(settings.accept())) {
            long lines =
                    new String(answer, StandardCharsets.UTF_8)
                            .lines()
                            .filter(l -> !l.isEmpty())
                            .count();
            if (lines != rows) {
                throw new StepFailure(
                        "ClientError: "
                                + name
                                + ": the model answered "
                                + lines
                                + " records for the file's "
                                + rows
                                + " rows");
            }
        }
        Files.createDirectories(output.getParent());
        Files.write(output, answer);
        return rows >= 0 ? Math.toIntExact(rows) : 1;
    }

    private byte[] read(Path input) throws IOException {
        try (InputStream in =
                settings.gzip()
                        ? new GZIPInputStream(Files.newInputStream(input))
                        : Files.newInputStream(input)) {
            return in.readAllBytes();
        }
    }

    private List<String> records(byte[] body) {
        String text = new String(body, StandardCharsets.UTF_8);
        if (!settings.splitLines()) {
            return List.of(text);
        }
        List<String> out = new ArrayList<>();
        for (String line : text.split("\r?\n", -1)) {
            if (!line.isEmpty()) {
                out.add(line);
            }
        }
        return out;
    }

    /** Record indexes per request: one each, or as many as fit the payload limit. */
    private List<List<Integer>> batches(List<String> records, String name) throws StepFailure {
        List<List<Integer>> out = new ArrayList<>();
        List<Integer> current = new ArrayList<>();
        long bytes = 0;
        for (int i = 0; i < records.size(); i++) {
            long size =
                    filter(records.get(i), settings.inputFilter(), settings.contentType())
                                    .getBytes(StandardCharsets.UTF_8)
                                    .length
                            + 1L;
            if (size > settings.maxPayloadBytes()) {
                throw new StepFailure(
                        "ClientError: "
                                + name
                                + " record "
                                + (i + 1)
                                + " is "
                                + size
                                + " bytes, more than MaxPayloadInMB allows");
            }
            if (!current.isEmpty()
                    && (!settings.multiRecord() || bytes + size > settings.maxPayloadBytes())) {
                out.add(current);
                current = new ArrayList<>();
                bytes = 0;
            }
            current.add(i);
            bytes += size;
        }
        if (!current.isEmpty()) {
            out.add(current);
        }
        return out;
    }

    private List<String> invoke(List<String> records, List<Integer> batch, String name)
            throws IOException, InterruptedException, StepFailure {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (int i : batch) {
            body.write(
                    filter(records.get(i), settings.inputFilter(), settings.contentType())
                            .getBytes(StandardCharsets.UTF_8));
            if (settings.splitLines()) {
                body.write('\n');
            }
        }
        HttpRequest.Builder request =
                HttpRequest.newBuilder(invocations)
                        .header("Content-Type", settings.contentType())
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()));
        if (settings.accept() != null) {
            request.header("Accept", settings.accept());
        }
        HttpResponse<String> response =
                http.send(
                        request.build(),
                        HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        String where = name + " records " + (batch.getFirst() + 1) + "-" + (batch.getLast() + 1);
        if (response.statusCode() != 200) {
            throw new StepFailure(
                    "ClientError: "
                            + where
                            + ": the model answered HTTP "
                            + response.statusCode()
                            + ": "
                            + response.body().strip());
        }
        if (batch.size() == 1 && !settings.splitLines()) {
            return List.of(response.body());
        }
        List<String> lines = new ArrayList<>();
        for (String line : response.body().split("\r?\n")) {
            if (!line.isEmpty()) {
                lines.add(line);
            }
        }
        if (lines.size() != batch.size()) {
            throw new StepFailure(
                    "ClientError: "
                            + where
                            + ": the model answered "
                            + lines.size()
                            + " records for "
                            + batch.size());
        }
        return lines;
    }

    /**
     * {@code JoinSource: Input}: CSV fields appended; a JSON object gets {@code SageMakerOutput}.
     */
    private String join(String input, String output) throws StepFailure {
        if (!isJson(settings.contentType())) {
            return input + "," + output;
        }
        try {
            JsonNode in = Json.MAPPER.readTree(input);
            JsonNode out =
                    isJson(settings.accept())
                            ? Json.MAPPER.readTree(output)
                            : Json.MAPPER.getNodeFactory().textNode(output);
            if (in.isObject()) {
                ((ObjectNode) in).set("SageMakerOutput", out);
            } else if (in.isArray()) {
                ((ArrayNode) in).add(out);
            } else {
                throw new StepFailure(
                        "ClientError: JoinSource Input needs JSON objects or arrays; got " + input);
            }
            return Json.MAPPER.writeValueAsString(in);
        } catch (IOException e) {
            throw new StepFailure(
                    "ClientError: JoinSource Input: a record is not JSON: " + e.getMessage());
        }
    }

    /** A record through a JSONPath filter ({@code null} or {@code $}: as it is). */
    private static String filter(String record, String path, String contentType)
            throws StepFailure {
        if (path == null || path.equals("$")) {
            return record;
        }
        try {
            if (isJson(contentType)) {
                JsonNode value =
                        Json.MAPPER.valueToTree(
                                JsonPath.using(Expressions.JSON_PATH)
                                        .parse(Json.MAPPER.readTree(record))
                                        .read(path));
                return Json.MAPPER.writeValueAsString(value);
            }
            String[] fields;
            try (CsvRecordReader csv = new CsvRecordReader(new java.io.StringReader(record))) {
                fields = csv.next();
            }
            JsonNode value =
                    Json.MAPPER.valueToTree(
                            JsonPath.using(Expressions.JSON_PATH)
                                    .parse(Json.MAPPER.valueToTree(fields))
                                    .read(path));
            StringBuilder b = new StringBuilder();
            for (JsonNode f : value.isArray() ? value : Json.MAPPER.createArrayNode().add(value)) {
                if (!b.isEmpty()) {
                    b.append(',');
                }
                CsvText.append(b, f.asText());
            }
            return b.toString();
        } catch (IOException | RuntimeException e) {
            throw new StepFailure(
                    "ClientError: filter "
                            + path
                            + " on record '"
                            + record
                            + "': "
                            + e.getMessage());
        }
    }

    private static boolean isJson(String contentType) {
        return contentType != null && contentType.contains("json");
    }

    /** One JSON document for the whole request (not JSON Lines). */
    private static boolean isJsonDocument(String accept) {
        return isJson(accept) && !accept.contains("jsonlines") && !accept.contains("x-ndjson");
    }

    /** Bodies the agent cannot split or filter as text. */
    static boolean isBinary(String contentType) {
        return ParquetTable.isContentType(contentType)
                || RowFormat.ofContentType(contentType).orElse(null) == RowFormat.RECORDIO_PROTOBUF;
    }
}
