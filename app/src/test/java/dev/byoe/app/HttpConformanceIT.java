package dev.byoe.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a client can send that is not the happy path, over real HTTP against the real jar: several
 * JSON documents in one body, byte-order marks, other charsets, malformed media types, repeated
 * JSON keys, wrong methods, Jetty's own refusals, broken chunked framing and slow headers. Every
 * case gets every row answered or a JSON error naming what is wrong; none gets a 500 or HTML.
 */
class HttpConformanceIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    static final String ROW =
            "39,State-gov,77516,Bachelors,13,Never-married,Adm-clerical,Not-in-family,White,Male,2174,0,40,United-States";
    static final String JSON_ROW =
            "[39,\"State-gov\",77516,\"Bachelors\",13,\"Never-married\",\"Adm-clerical\",\"Not-in-family\","
                    + "\"White\",\"Male\",2174,0,40,\"United-States\"]";

    @TempDir static Path tmp;
    static Served served;

    @BeforeAll
    static void serve() throws Exception {
        MlLayout ml = new MlLayout(tmp.resolve("ml")).model("adult");
        served = Served.start(ml.root, Map.of());
    }

    @AfterAll
    static void stop() throws Exception {
        served.close();
    }

    @Test
    void severalJsonDocumentsInOneBodyAreEveryRowAnswered() throws Exception {
        HttpResponse<String> one =
                served.post(JSON_ROW, "Content-Type", "application/json", "Accept", "text/csv");
        assertEquals(200, one.statusCode(), one.body());
        // What batch transform sends with SplitType Line and MultiRecord: documents joined by
        // newlines.
        String body =
                "{\"instances\": ["
                        + JSON_ROW
                        + "]}\n{\"instances\": ["
                        + JSON_ROW
                        + ","
                        + JSON_ROW
                        + "]}\n"
                        + JSON_ROW;
        HttpResponse<String> all =
                served.post(body, "Content-Type", "application/json", "Accept", "text/csv");
        assertEquals(200, all.statusCode(), all.body());
        List<String> lines = all.body().lines().toList();
        assertEquals(4, lines.size(), "one answer per row of every document: " + all.body());
        for (String line : lines) {
            assertEquals(one.body().strip(), line.strip());
        }
        HttpResponse<String> trailing =
                served.post("[" + JSON_ROW + "] trailing", "Content-Type", "application/json");
        assertError(trailing, 400, "after JSON document 1");
    }

    @Test
    void aByteOrderMarkIsDroppedAndOtherCharsetsAreDecoded() throws Exception {
        String plain = served.post(ROW, "Content-Type", "text/csv").body();
        byte[] bom = ("\uFEFF" + ROW).getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> withBom = served.post(bom, "Content-Type", "text/csv");
        assertEquals(200, withBom.statusCode(), withBom.body());
        assertEquals(plain, withBom.body());
        HttpResponse<String> latin1 =
                served.post(
                        ROW.getBytes(StandardCharsets.ISO_8859_1),
                        "Content-Type",
                        "text/csv; charset=ISO-8859-1");
        assertEquals(200, latin1.statusCode(), latin1.body());
        assertEquals(plain, latin1.body());
        assertError(served.post(ROW, "Content-Type", "text/csv; charset=klingon"), 415, "klingon");
    }

    @Test
    void malformedMediaTypesAndRepeatedKeysAreClientErrors() throws Exception {
        assertError(served.post(ROW, "Content-Type", ";"), 415, "not a media type");
        assertError(
                served.post(ROW, "Content-Type", "text/csv", "Accept", ";"),
                406,
                "not a media type");
        assertError(
                served.post("{\"age\": 59, \"age\": 99}", "Content-Type", "application/json"),
                400,
                "'age'");
    }

    @Test
    void wrongMethodsAndUnknownPathsAreJsonErrors() throws Exception {
        String get = raw("GET /invocations HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        assertTrue(get.startsWith("HTTP/1.1 405"), get);
        assertTrue(get.contains("Allow: POST"), get);
        assertTrue(get.contains("application/json") && get.contains("\"status\":405"), get);
        String ping =
                raw(
                        "POST /ping HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
        assertTrue(ping.startsWith("HTTP/1.1 405") && ping.contains("Allow: GET"), ping);
        String unknown = raw("GET /nope HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        assertTrue(
                unknown.startsWith("HTTP/1.1 404") && unknown.contains("\"status\":404"), unknown);
    }

    @Test
    void jettysOwnRefusalsAreJsonToo() throws Exception {
        String longUri =
                raw(
                        "GET /"
                                + "a".repeat(20_000)
                                + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        assertTrue(
                longUri.startsWith("HTTP/1.1 414")
                        && longUri.contains("application/json")
                        && longUri.contains("\"status\":414"),
                longUri);
        String bigHeader =
                raw(
                        "GET /ping HTTP/1.1\r\nHost: x\r\nX-Big: "
                                + "a".repeat(20_000)
                                + "\r\nConnection: close\r\n\r\n");
        assertTrue(
                bigHeader.startsWith("HTTP/1.1 431") && bigHeader.contains("\"status\":431"),
                bigHeader);
        String chunk =
                raw(
                        "POST /invocations HTTP/1.1\r\nHost: x\r\nContent-Type: text/csv\r\nTransfer-Encoding: chunked\r\n\r\n"
                                + "FFFFFFFFFFFFFFFFFFFF\r\n");
        assertTrue(
                chunk.startsWith("HTTP/1.1 400") && chunk.contains("\"status\":400"),
                "a chunk size that overflows: " + chunk);
        assertEquals(200, served.get("/ping").statusCode());
    }

    @Test
    void headersTrickledOneByteAtATimeAreCutOff() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", served.port)) {
            OutputStream out = socket.getOutputStream();
            long start = System.nanoTime();
            boolean closed = false;
            // 40 s at most of one byte every 200 ms; the server's header limit is 10 s.
            for (int i = 0; i < 200 && !closed; i++) {
                try {
                    out.write(
                            i == 0
                                    ? "GET /ping HTTP/1.1\r\nX-Slow: "
                                            .getBytes(StandardCharsets.US_ASCII)
                                    : new byte[] {'a'});
                    out.flush();
                    Thread.sleep(200);
                } catch (IOException e) {
                    closed = true;
                }
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            assertTrue(
                    closed,
                    "the connection was still open after " + seconds + " s of trickled headers");
            assertTrue(seconds < 25, "closed after " + seconds + " s");
        }
    }

    @Test
    void metricsCountInvocationsByStatusAndContentTypeAndLeavePingOut() throws Exception {
        HttpResponse<String> first = served.get("/metrics");
        assertEquals(200, first.statusCode());
        assertTrue(
                first.headers()
                        .firstValue("Content-Type")
                        .orElse("")
                        .startsWith("text/plain; version=0.0.4"));
        double ok =
                count(
                        first.body(),
                        "byoe_invocations_seconds_count{content_type=\"text/csv\",status=\"200\"}");
        double bad =
                count(
                        first.body(),
                        "byoe_invocations_seconds_count{content_type=\"text/csv\",status=\"400\"}");
        double pings = first.body().lines().filter(l -> l.contains("/ping")).count();
        assertEquals(200, served.post(ROW, "Content-Type", "text/csv").statusCode());
        assertEquals(200, served.post(ROW + "\n" + ROW, "Content-Type", "text/csv").statusCode());
        assertEquals(400, served.post("1,2", "Content-Type", "text/csv").statusCode());
        for (int i = 0; i < 5; i++) {
            served.get("/ping");
        }
        String after = served.get("/metrics").body();
        assertEquals(
                ok + 2,
                count(
                        after,
                        "byoe_invocations_seconds_count{content_type=\"text/csv\",status=\"200\"}"),
                after);
        assertEquals(
                bad + 1,
                count(
                        after,
                        "byoe_invocations_seconds_count{content_type=\"text/csv\",status=\"400\"}"),
                after);
        assertTrue(
                count(after, "byoe_member_predict_seconds_count{member=\"xgboost\"}") >= 2, after);
        assertTrue(
                count(after, "byoe_member_predict_seconds_count{member=\"catboost\"}") >= 2, after);
        assertTrue(count(after, "byoe_model_load_seconds") > 0, after);
        assertTrue(
                after.contains("byoe_invocations_seconds_bucket{"), "latency histograms: " + after);
        // The JVM's own figures: heap in use, collections, live threads.
        assertTrue(
                after.lines()
                        .anyMatch(
                                l ->
                                        l.startsWith("jvm_memory_used_bytes{area=\"heap\"")
                                                && !l.endsWith(" 0.0")),
                after);
        assertTrue(after.contains("jvm_gc_"), after);
        assertTrue(count(after, "jvm_threads_live_threads") > 0, after);
        assertEquals(
                pings,
                after.lines().filter(l -> l.contains("/ping")).count(),
                "health checks are not counted");
    }

    /** The value of one Prometheus sample line, 0 when it is absent. */
    private static double count(String scrape, String sample) {
        return scrape.lines()
                .filter(l -> l.startsWith(sample + " "))
                .mapToDouble(l -> Double.parseDouble(l.substring(sample.length() + 1)))
                .findFirst()
                .orElse(0);
    }

    @Test
    void deepLogGetsTheVectorApiFromAPlainJavaJar(@TempDir Path dir) throws Exception {
        // Started as `java -jar byoe.jar serve`, with no --add-modules: DeepLog's forward pass
        // loads the module once the server has started (JdkModules) and runs on vectors once
        // they are compiled; the scalar pass answers until then.
        MlLayout ml = new MlLayout(dir.resolve("ml")).model("hdfs-logs");
        try (Served logs = Served.start(ml.root, Map.of())) {
            String log =
                    LogWait.until(logs::log, LogWait.VECTOR_PASS_ANSWERS, Duration.ofSeconds(90));
            assertTrue(log.contains("the vector pass (vector-"), log);
            assertFalse(log.contains("incubator"), "the module is not on the command line: " + log);
        }
    }

    @Test
    void logModelRequestsAreCapturedToo(@TempDir Path dir) throws Exception {
        MlLayout ml = new MlLayout(dir.resolve("ml")).model("hdfs-logs");
        Path capture = dir.resolve("capture");
        try (Served logs =
                Served.start(
                        ml.root,
                        Map.of(
                                "BYOE_DATA_CAPTURE_DIR",
                                capture.toString(),
                                "BYOE_DATA_CAPTURE_PERCENT",
                                "100"))) {
            HttpResponse<String> r =
                    logs.post(
                            "\"blk,1\",E22 E5 E5 E5 E26 E26 E11 E9 E11 E9\n",
                            "Content-Type",
                            "text/csv");
            assertEquals(200, r.statusCode(), r.body());
            assertTrue(
                    r.body().contains("\"blk,1\""),
                    "a quoted id with a comma comes back whole: " + r.body());
        }
        List<JsonNode> events = new ArrayList<>();
        try (Stream<Path> files = Files.walk(capture)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".jsonl")).toList()) {
                for (String line : Files.readAllLines(f)) {
                    events.add(JSON.readTree(line));
                }
            }
        }
        assertEquals(1, events.size(), "one capture line for the log model's request");
        assertEquals(
                "text/csv",
                events.getFirst().at("/captureData/endpointInput/observedContentType").asText());
    }

    @Test
    void batchSettingsTheApiAllowsAreAccepted(@TempDir Path dir) throws Exception {
        MlLayout ml = new MlLayout(dir.resolve("ml")).model("adult");
        try (Served batch =
                Served.start(
                        ml.root,
                        Map.of(
                                "SAGEMAKER_BATCH",
                                "true",
                                "SAGEMAKER_MAX_CONCURRENT_TRANSFORMS",
                                "0",
                                "SAGEMAKER_MAX_PAYLOAD_IN_MB",
                                "0",
                                "SAGEMAKER_BATCH_STRATEGY",
                                "SINGLE_RECORD"))) {
            JsonNode p = JSON.readTree(batch.get("/execution-parameters").body());
            assertEquals("SingleRecord", p.get("BatchStrategy").asText(), "the API's spelling");
            assertTrue(p.get("MaxConcurrentTransforms").asInt() >= 1, p.toString());
            assertEquals(200, batch.post(ROW, "Content-Type", "text/csv").statusCode());
        }
        String strategy =
                JSON.readTree(served.get("/execution-parameters").body())
                        .get("BatchStrategy")
                        .asText();
        assertEquals("MultiRecord", strategy);
    }

    private static void assertError(HttpResponse<String> r, int status, String fragment)
            throws IOException {
        assertEquals(status, r.statusCode(), r.body());
        assertEquals("application/json", r.headers().firstValue("Content-Type").orElse(""));
        JsonNode body = JSON.readTree(r.body());
        assertEquals(status, body.get("status").asInt());
        assertTrue(body.get("error").asText().contains(fragment), r.body());
    }

    /** The raw response to a hand-written request (what a client library would not let us send). */
    private static String raw(String request) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", served.port)) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            InputStream in = socket.getInputStream();
            byte[] buf = new byte[8192];
            StringBuilder sb = new StringBuilder();
            try {
                int n;
                while ((n = in.read(buf)) > 0) {
                    sb.append(new String(buf, 0, n, StandardCharsets.ISO_8859_1));
                    if (sb.indexOf("\r\n\r\n") > 0 && sb.indexOf("}") > 0) {
                        break;
                    }
                }
            } catch (java.net.SocketTimeoutException | java.net.SocketException e) {
                // whatever arrived is the answer
            }
            return sb.toString();
        }
    }
}
