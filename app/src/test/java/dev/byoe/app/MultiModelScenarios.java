package dev.byoe.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The multi-model endpoint as SageMaker drives it, run against a server that {@link #start}s: the
 * jar ({@link MultiModelIT}) or the image ({@link MultiModelContainerCheck}). Three models of the
 * two kinds (a diabetes regression ensemble trained here, the adult classifier and the HDFS log
 * model of the test models) are loaded, invoked and compared with single-model serving of the same
 * folders; SageMaker's refusals; an unload while its model and another are under load; eviction
 * under a small memory budget.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class MultiModelScenarios {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String DIABETES_ROW = "59,2,32.1,101.0,157,93.2,38.0,4.0,4.8598,87";

    /** A running server: its port and its log. */
    interface Server extends AutoCloseable {
        int port();

        String log() throws Exception;
    }

    /** A multi-model server with these extra environment variables. */
    abstract Server startMultiModel(Map<String, String> env) throws Exception;

    /** A single-model server of {@code model} (a folder under {@link #models}). */
    abstract Server startSingle(Path model) throws Exception;

    /** The url of a folder under {@link #models} as the server sees it. */
    abstract String url(Path model);

    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** diabetes/, adult/, hdfs-logs/, damaged/ (adult with a changed byte), not-a-model/. */
    Path models;

    @BeforeAll
    void models(@TempDir Path tmp) throws Exception {
        models = Files.createDirectories(tmp.resolve("models"));
        MlLayout ml =
                new MlLayout(tmp.resolve("ml"))
                        .hyperparameters(
                                Map.of(
                                        "target_column", "target",
                                        "k_fold", "2",
                                        "num_round", "40"))
                        .channel("train", MlLayout.data("diabetes.csv"));
        Byoe.Result trained = Byoe.train(ml);
        assertEquals(0, trained.exit(), trained.all());
        MlLayout.copyTree(ml.root.resolve("model"), models.resolve("diabetes"));
        MlLayout.copyTree(MlLayout.testModel("adult"), models.resolve("adult"));
        MlLayout.copyTree(MlLayout.testModel("hdfs-logs"), models.resolve("hdfs-logs"));
        Path damaged = models.resolve("damaged");
        MlLayout.copyTree(MlLayout.testModel("adult"), damaged);
        Path booster = damaged.resolve("members/xgboost/model.ubj");
        byte[] bytes = Files.readAllBytes(booster);
        bytes[bytes.length / 2] ^= 0x5a;
        Files.write(booster, bytes);
        Files.createDirectories(models.resolve("not-a-model"));
        Files.writeString(models.resolve("not-a-model/readme.txt"), "no manifest here");
        ImageContainerCheck.openUp(tmp);
    }

    /** One request of each kind a model takes, as (content type, accept, custom attrs, body). */
    record Call(String contentType, String accept, String attributes, String body) {}

    static List<Call> calls(String model) throws IOException {
        return switch (model) {
            case "diabetes" ->
                    List.of(
                            new Call("text/csv", null, null, DIABETES_ROW + "\n" + DIABETES_ROW),
                            new Call(
                                    "application/json",
                                    "application/jsonlines",
                                    "members=true",
                                    "{\"instances\": [[" + DIABETES_ROW + "]]}"),
                            new Call("text/csv", null, null, "59,2,32.1\n"));
            case "adult" -> {
                List<String> rows =
                        Files.readAllLines(MlLayout.data("adult-sample.csv")).subList(1, 4);
                String body =
                        rows.stream()
                                .map(r -> r.substring(0, r.lastIndexOf(',')))
                                .collect(Collectors.joining("\n"));
                yield List.of(
                        new Call("text/csv", "application/json", null, body),
                        new Call("text/csv", "text/csv", "members=true", body));
            }
            case "hdfs-logs" -> {
                String lines;
                try (Stream<String> log =
                        Files.lines(MlLayout.data("hdfs").resolve("HDFS_6000.log"))) {
                    lines = log.limit(40).collect(Collectors.joining("\n"));
                }
                yield List.of(
                        new Call(
                                "application/json",
                                null,
                                null,
                                "{\"sessions\": [{\"id\": \"a\", \"events\": \"E22 E5 E5 E5 E26"
                                        + " E26 E26 E11 E9 E11 E9 E11 E9\"}]}"),
                        new Call("text/plain", "application/json", null, lines));
            }
            default -> throw new IllegalArgumentException(model);
        };
    }

    @Test
    void modelsOfBothKindsAnswerAsSingleModelServingDoes() throws Exception {
        List<String> names = List.of("diabetes", "adult", "hdfs-logs");
        Map<String, List<HttpResponse<String>>> multi = new java.util.HashMap<>();
        try (Server mme = startMultiModel(Map.of())) {
            assertEquals(200, get(mme, "/ping").statusCode(), "healthy with no model loaded");
            for (String name : names) {
                HttpResponse<String> r = load(mme, name, models.resolve(name));
                assertEquals(200, r.statusCode(), r.body());
                JsonNode loaded = JSON.readTree(r.body());
                assertEquals(
                        name.equals("hdfs-logs") ? "log_anomaly" : "tabular",
                        loaded.path("kind").asText());
                assertTrue(loaded.path("residentBytes").asLong() > 0, r.body());
            }
            for (String name : names) {
                List<HttpResponse<String>> answers = new ArrayList<>();
                for (Call c : calls(name)) {
                    answers.add(invoke(mme, "/models/" + name + "/invoke", c));
                }
                multi.put(name, answers);
            }
            // Pages of two, in name order.
            JsonNode first = JSON.readTree(get(mme, "/models?limit=2").body());
            assertEquals(List.of("adult", "diabetes"), modelNames(first));
            JsonNode second =
                    JSON.readTree(
                            get(
                                            mme,
                                            "/models?limit=2&next_page_token="
                                                    + first.path("nextPageToken").asText())
                                    .body());
            assertEquals(List.of("hdfs-logs"), modelNames(second));
            assertFalse(second.has("nextPageToken"));
            JsonNode adult = JSON.readTree(get(mme, "/models/adult").body());
            assertEquals(url(models.resolve("adult")), adult.path("modelUrl").asText());
            assertEquals(2, adult.path("invocations").asInt());

            HttpResponse<String> single = invoke(mme, "/invocations", calls("diabetes").get(0));
            assertEquals(400, single.statusCode());
            assertTrue(error(single).contains("/models/{name}/invoke"), single.body());

            String metrics = get(mme, "/metrics").body();
            assertTrue(
                    metrics.contains(
                            "byoe_model_invocations_total{model=\"diabetes\",status=\"200\"} 2.0"),
                    metrics);
            assertTrue(metrics.contains("byoe_models_loaded 3.0"), metrics);

            assertEquals(200, delete(mme, "/models/adult").statusCode());
            assertEquals(404, get(mme, "/models/adult").statusCode());
            HttpResponse<String> gone = invoke(mme, "/models/adult/invoke", calls("adult").get(0));
            assertEquals(404, gone.statusCode());
            assertTrue(error(gone).contains("no model named \"adult\""), gone.body());
            assertFalse(get(mme, "/metrics").body().contains("model=\"adult\""));
            assertEquals(
                    List.of("diabetes", "hdfs-logs"),
                    modelNames(JSON.readTree(get(mme, "/models").body())));
        }
        for (String name : names) {
            try (Server one = startSingle(models.resolve(name))) {
                List<Call> calls = calls(name);
                for (int i = 0; i < calls.size(); i++) {
                    HttpResponse<String> expected = invoke(one, "/invocations", calls.get(i));
                    HttpResponse<String> actual = multi.get(name).get(i);
                    String what = name + " call " + i;
                    assertEquals(expected.statusCode(), actual.statusCode(), what);
                    assertEquals(expected.body(), actual.body(), what);
                    assertEquals(
                            expected.headers().firstValue("Content-Type"),
                            actual.headers().firstValue("Content-Type"),
                            what);
                }
            }
        }
    }

    @Test
    void refusesAsSageMakerSpecifies() throws Exception {
        try (Server mme = startMultiModel(Map.of())) {
            assertEquals(200, load(mme, "diabetes", models.resolve("diabetes")).statusCode());
            HttpResponse<String> again = load(mme, "diabetes", models.resolve("adult"));
            assertEquals(409, again.statusCode(), again.body());
            for (HttpResponse<String> r :
                    List.of(
                            get(mme, "/models/nothing"),
                            delete(mme, "/models/nothing"),
                            invoke(mme, "/models/nothing/invoke", calls("diabetes").get(0)))) {
                assertEquals(404, r.statusCode(), r.body());
                assertTrue(error(r).contains("no model named \"nothing\""), r.body());
            }
            assertRefused(mme, 400, "not a folder", load(mme, "x", models.resolve("missing")));
            assertRefused(
                    mme, 400, "no manifest.json", load(mme, "x", models.resolve("not-a-model")));
            assertRefused(mme, 400, "checksum", load(mme, "x", models.resolve("damaged")));
            assertRefused(mme, 400, "not JSON", post(mme, "/models", "{\"model_name\": "));
            assertRefused(
                    mme, 400, "\"model_name\"", post(mme, "/models", "{\"url\": \"/opt/ml\"}"));
            assertRefused(mme, 400, "without '/'", load(mme, "a/b", models.resolve("diabetes")));
            assertRefused(mme, 400, "limit=0", get(mme, "/models?limit=0"));
            assertRefused(mme, 400, "next_page_token", get(mme, "/models?next_page_token=%25"));
            assertEquals(
                    List.of("diabetes"), modelNames(JSON.readTree(get(mme, "/models").body())));
        }
        try (Server small = startMultiModel(Map.of("BYOE_MODEL_MEMORY_MB", "0.05"))) {
            HttpResponse<String> r = load(small, "diabetes", models.resolve("diabetes"));
            assertRefused(small, 507, "more than the whole budget", r);
            assertTrue(error(r).contains("BYOE_MODEL_MEMORY_MB=0.05"), r.body());
            assertEquals(List.of(), modelNames(JSON.readTree(get(small, "/models").body())));
        }
    }

    @Test
    void loadsAndAnUnloadWaitingForItsInvocationsLeaveAnotherModelServing() throws Exception {
        StringBuilder big = new StringBuilder();
        for (int i = 0; i < 60_000; i++) {
            big.append(DIABETES_ROW).append('\n');
        }
        Call heavy = new Call("text/csv", null, null, big.toString());
        Call light = new Call("text/csv", null, null, DIABETES_ROW);
        try (Server mme = startMultiModel(Map.of())) {
            assertEquals(200, load(mme, "busy", models.resolve("diabetes")).statusCode());
            assertEquals(200, load(mme, "other", models.resolve("diabetes")).statusCode());
            ExecutorService pool = Executors.newFixedThreadPool(6);
            AtomicBoolean stop = new AtomicBoolean();
            ConcurrentLinkedQueue<Integer> otherStatuses = new ConcurrentLinkedQueue<>();
            List<Future<?>> others = new ArrayList<>();
            for (int t = 0; t < 2; t++) {
                others.add(
                        pool.submit(
                                () -> {
                                    while (!stop.get()) {
                                        otherStatuses.add(
                                                invoke(mme, "/models/other/invoke", light)
                                                        .statusCode());
                                    }
                                    return null;
                                }));
            }
            // A load while "other" is invoked: it holds up nothing.
            assertEquals(200, load(mme, "late", models.resolve("adult")).statusCode());
            // Two heavy invocations of "busy" computing at once, then its unload.
            List<Future<long[]>> busy = null;
            boolean bothInFlight = false;
            for (int attempt = 0; attempt < 5 && !bothInFlight; attempt++) {
                if (busy != null) {
                    for (Future<long[]> f : busy) {
                        f.get();
                    }
                }
                CountDownLatch go = new CountDownLatch(1);
                busy = new ArrayList<>();
                for (int t = 0; t < 2; t++) {
                    busy.add(
                            pool.submit(
                                    () -> {
                                        go.await();
                                        HttpResponse<String> r =
                                                invoke(mme, "/models/busy/invoke", heavy);
                                        return new long[] {
                                            r.statusCode(), r.body().strip().split("\n").length
                                        };
                                    }));
                }
                go.countDown();
                long until = System.nanoTime() + 20_000_000_000L;
                while (System.nanoTime() < until && !busy.stream().allMatch(Future::isDone)) {
                    JsonNode d = JSON.readTree(get(mme, "/models/busy").body());
                    if (d.path("inFlight").asInt() == 2) {
                        bothInFlight = true;
                        break;
                    }
                }
            }
            assertTrue(bothInFlight, "two invocations of the model held it at once");
            HttpResponse<String> unloaded = delete(mme, "/models/busy");
            assertEquals(200, unloaded.statusCode(), unloaded.body());
            for (Future<long[]> f : busy) {
                long[] r = f.get();
                assertEquals(200, r[0], "an invocation in flight at the unload is answered");
                assertEquals(60_000, r[1], "with every row");
            }
            // The unload waited for them: it closed the model once nothing held it.
            assertFalse(mme.log().contains("still holding it"), mme.log());
            assertTrue(mme.log().contains("unloaded \"busy\""), mme.log());
            assertEquals(404, invoke(mme, "/models/busy/invoke", light).statusCode());
            stop.set(true);
            for (Future<?> f : others) {
                f.get();
            }
            pool.shutdown();
            assertTrue(otherStatuses.size() > 10, "the other model was invoked throughout");
            assertEquals(
                    List.of(200),
                    otherStatuses.stream().distinct().toList(),
                    "every invocation of the other model succeeded");
        }
    }

    @Test
    void theLeastRecentlyUsedIdleModelMakesRoomUnderASmallBudget() throws Exception {
        Path diabetes = models.resolve("diabetes");
        List<Long> costs = new ArrayList<>();
        try (Server probe = startMultiModel(Map.of())) {
            for (int i = 0; i < 8; i++) {
                costs.add(resident(load(probe, "probe-" + i, diabetes)));
            }
        }
        // The first loads of a process also pay for the JIT's work; the later ones are the model.
        List<Long> settled = new ArrayList<>(costs.subList(3, costs.size()));
        settled.sort(null);
        long budget = settled.get(settled.size() / 2) * 5 / 2;
        String mb = String.format(java.util.Locale.ROOT, "%.6f", budget / (double) (1 << 20));
        Call row = new Call("text/csv", null, null, DIABETES_ROW);
        String seen = "";
        // Each model's figure is measured, so it varies a little: the scenario needs two copies to
        // fit and three not to, and is run again (at most three times) when the measures say
        // otherwise.
        for (int attempt = 1; attempt <= 3; attempt++) {
            try (Server mme = startMultiModel(Map.of("BYOE_MODEL_MEMORY_MB", mb))) {
                // The first loads of this process pay for the JIT again and may alone exceed the
                // small budget: 507 is the right answer to them, and they are only a warm-up.
                for (int i = 0; i < 3; i++) {
                    HttpResponse<String> warm = load(mme, "warm", diabetes);
                    if (warm.statusCode() == 200) {
                        assertEquals(200, delete(mme, "/models/warm").statusCode());
                    } else {
                        assertEquals(507, warm.statusCode(), warm.body());
                    }
                }
                long a = residentUnlessOverBudget(load(mme, "a", diabetes));
                long b = residentUnlessOverBudget(load(mme, "b", diabetes));
                if (a < 0 || b < 0) {
                    seen += " [a " + a + ", b " + b + " (-1: alone over the budget)]";
                    continue;
                }
                assertEquals(200, invoke(mme, "/models/a/invoke", row).statusCode());
                long c = residentUnlessOverBudget(load(mme, "c", diabetes));
                seen += " [a " + a + ", b " + b + ", c " + c + "]";
                if (c < 0 || a + b > budget || a + b + c <= budget) {
                    continue;
                }
                List<String> left = modelNames(JSON.readTree(get(mme, "/models").body()));
                assertFalse(left.contains("b"), "b, used least recently, made room: " + left);
                assertTrue(left.contains("c"), left.toString());
                // a goes too only if a and c do not fit together.
                assertEquals(a + c <= budget, left.contains("a"), a + " + " + c + " vs " + budget);
                assertEquals(404, invoke(mme, "/models/b/invoke", row).statusCode());
                assertTrue(mme.log().contains("unloading \"b\""), mme.log());
                assertEquals(200, invoke(mme, "/models/c/invoke", row).statusCode());
                // SageMaker loads an evicted model again on its next invocation.
                resident(load(mme, "b", diabetes));
                assertTrue(modelNames(JSON.readTree(get(mme, "/models").body())).contains("b"));
                assertEquals(200, invoke(mme, "/models/b/invoke", row).statusCode());
                assertTrue(
                        get(mme, "/metrics")
                                .body()
                                .contains("byoe_model_unloads_total{reason=\"evicted\"}"));
                return;
            }
        }
        throw new AssertionError(
                "three runs without two copies fitting a budget of "
                        + budget
                        + " bytes and three not:"
                        + seen
                        + "; probe costs "
                        + costs);
    }

    static long resident(HttpResponse<String> loaded) throws IOException {
        assertEquals(200, loaded.statusCode(), loaded.body());
        return JSON.readTree(loaded.body()).path("residentBytes").asLong();
    }

    /** The model's resident bytes, or -1 when it alone was refused as larger than the budget. */
    static long residentUnlessOverBudget(HttpResponse<String> loaded) throws IOException {
        if (loaded.statusCode() == 507) {
            return -1;
        }
        return resident(loaded);
    }

    static void assertRefused(Server s, int status, String says, HttpResponse<String> r)
            throws Exception {
        assertEquals(status, r.statusCode(), r.body());
        assertTrue(error(r).contains(says), "the refusal says " + says + ": " + r.body());
        assertEquals(status, JSON.readTree(r.body()).path("status").asInt());
    }

    static List<String> modelNames(JsonNode list) {
        List<String> names = new ArrayList<>();
        list.path("models").forEach(m -> names.add(m.path("modelName").asText()));
        return names;
    }

    HttpResponse<String> load(Server s, String name, Path model) throws Exception {
        return post(
                s,
                "/models",
                JSON.writeValueAsString(Map.of("model_name", name, "url", url(model))));
    }

    HttpResponse<String> invoke(Server s, String path, Call c) throws Exception {
        HttpRequest.Builder b =
                request(s, path).POST(HttpRequest.BodyPublishers.ofString(c.body()));
        b.header("Content-Type", c.contentType());
        if (c.accept() != null) {
            b.header("Accept", c.accept());
        }
        if (c.attributes() != null) {
            b.header("X-Amzn-SageMaker-Custom-Attributes", c.attributes());
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> post(Server s, String path, String body) throws Exception {
        return http.send(
                request(s, path)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> get(Server s, String path) throws Exception {
        return http.send(request(s, path).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> delete(Server s, String path) throws Exception {
        return http.send(request(s, path).DELETE().build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpRequest.Builder request(Server s, String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.port() + path))
                .timeout(Duration.ofSeconds(60));
    }

    /** The message of an error answer. */
    static String error(HttpResponse<String> r) throws IOException {
        return JSON.readTree(r.body()).path("error").asText();
    }
}
