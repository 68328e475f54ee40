package dev.byoe.bench.tools;

import dev.byoe.core.Json;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A soak test of {@code byoe serve}: the real jar serving a real model on loopback, {@code c}
 * clients sending a mix of valid and invalid requests for a fixed time. It passes when every valid
 * request got 200, every invalid one a 4xx (never a 5xx), no connection failed, the server is still
 * healthy at the end, and the heap after a full GC does not grow after warm-up. Latency percentiles
 * are of the valid requests. Usage: {@code Soak [--seconds N] [--concurrency C] [--model DIR]
 * [--jar JAR] [--out FILE]}.
 */
public final class Soak {
    private static final Pattern HEAP_USED = Pattern.compile("used (\\d+)K");
    private static final long GROWTH_LIMIT_MB = 16;

    /** One kind of request: its body and headers, and whether the server should accept it. */
    record Shape(String name, boolean valid, int weight, byte[] body, String... headers) {}

    public record Settings(int seconds, int concurrency, Path model, Path jar, Path out) {}

    private Soak() {}

    public static void main(String[] args) throws Exception {
        Map<String, String> a = new LinkedHashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            a.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        int seconds =
                a.containsKey("minutes")
                        ? Integer.parseInt(a.get("minutes")) * 60
                        : Integer.parseInt(a.getOrDefault("seconds", "600"));
        Settings s =
                new Settings(
                        seconds,
                        Integer.parseInt(a.getOrDefault("concurrency", "64")),
                        Path.of(a.getOrDefault("model", "serve/src/test/resources/models/adult")),
                        Path.of(a.getOrDefault("jar", "dist/byoe.jar")),
                        Path.of(a.getOrDefault("out", "bench/soak-results.json")));
        Map<String, Object> r = run(s);
        System.out.println(summary(r));
        System.exit(Boolean.TRUE.equals(r.get("passed")) ? 0 : 1);
    }

    /** Runs the soak and writes its figures to {@code settings.out()}; returns them. */
    public static Map<String, Object> run(Settings settings) throws Exception {
        Path root = Files.createTempDirectory("byoe-soak");
        copy(settings.model(), root.resolve("model"));
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path log = root.resolve("serve.log");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb =
                new ProcessBuilder(
                                java,
                                "--add-modules",
                                "jdk.incubator.vector",
                                "-jar",
                                settings.jar().toAbsolutePath().toString(),
                                "serve")
                        .redirectErrorStream(true)
                        .redirectOutput(log.toFile());
        pb.environment().put("BYOE_ML_ROOT", root.toString());
        pb.environment().put("SAGEMAKER_BIND_TO_PORT", Integer.toString(port));
        Process server = pb.start();
        try {
            HttpClient http =
                    HttpClient.newBuilder()
                            .version(HttpClient.Version.HTTP_1_1)
                            .connectTimeout(Duration.ofSeconds(5))
                            .build();
            URI base = URI.create("http://127.0.0.1:" + port);
            awaitHealthy(http, base, server, log);
            Map<String, Object> result = load(settings, http, base, server);
            result.put("server_alive_at_end", server.isAlive());
            boolean healthy = server.isAlive() && ping(http, base) == 200;
            result.put("healthy_at_end", healthy);
            result.put("passed", Boolean.TRUE.equals(result.get("passed")) && healthy);
            String json = Json.INDENTED.writeValueAsString(result);
            if (settings.out() != null) {
                Files.writeString(settings.out(), json);
            }
            System.out.println(json);
            return result;
        } finally {
            server.destroy();
            server.waitFor(30, TimeUnit.SECONDS);
        }
    }

    private static Map<String, Object> load(
            Settings settings, HttpClient http, URI base, Process server) throws Exception {
        List<Shape> shapes = shapes(settings.model());
        int totalWeight = shapes.stream().mapToInt(Shape::weight).sum();
        Map<String, LongAdder> statuses = new ConcurrentHashMap<>();
        LongAdder validWrong = new LongAdder();
        LongAdder serverErrors = new LongAdder();
        LongAdder transportErrors = new LongAdder();
        List<long[]> latencies = new ArrayList<>();
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(settings.seconds());
        List<Thread> clients = new ArrayList<>();
        List<String> firstProblems = java.util.Collections.synchronizedList(new ArrayList<>());
        // Requests hold the read side; a heap measurement takes the write side, so it sees no
        // request in flight.
        ReentrantReadWriteLock gate = new ReentrantReadWriteLock(true);
        for (int c = 0; c < settings.concurrency(); c++) {
            long[][] mine = {new long[1 << 16]};
            int[] count = {0};
            Random random = new Random(c);
            Thread t =
                    Thread.ofVirtual()
                            .start(
                                    () -> {
                                        while (System.nanoTime() < end) {
                                            Shape shape = pick(shapes, totalWeight, random);
                                            HttpRequest.Builder b =
                                                    HttpRequest.newBuilder(
                                                                    base.resolve("/invocations"))
                                                            .timeout(Duration.ofSeconds(70))
                                                            .POST(
                                                                    HttpRequest.BodyPublishers
                                                                            .ofByteArray(
                                                                                    shape.body()));
                                            if (shape.headers().length > 0) {
                                                b.headers(shape.headers());
                                            }
                                            gate.readLock().lock();
                                            long start = System.nanoTime();
                                            try {
                                                HttpResponse<byte[]> r =
                                                        http.send(
                                                                b.build(),
                                                                HttpResponse.BodyHandlers
                                                                        .ofByteArray());
                                                long took = System.nanoTime() - start;
                                                int status = r.statusCode();
                                                statuses.computeIfAbsent(
                                                                shape.name() + " " + status,
                                                                k -> new LongAdder())
                                                        .increment();
                                                if (status >= 500) {
                                                    serverErrors.increment();
                                                }
                                                boolean right =
                                                        shape.valid()
                                                                ? status == 200
                                                                : status >= 400 && status < 500;
                                                if (!right) {
                                                    validWrong.increment();
                                                    if (firstProblems.size() < 10) {
                                                        firstProblems.add(
                                                                shape.name()
                                                                        + " -> "
                                                                        + status
                                                                        + " "
                                                                        + new String(
                                                                                r.body(),
                                                                                0,
                                                                                Math.min(
                                                                                        200,
                                                                                        r.body()
                                                                                                .length),
                                                                                StandardCharsets
                                                                                        .UTF_8));
                                                    }
                                                }
                                                if (shape.valid()) {
                                                    if (count[0] == mine[0].length) {
                                                        mine[0] =
                                                                Arrays.copyOf(
                                                                        mine[0], count[0] * 2);
                                                    }
                                                    mine[0][count[0]++] = took;
                                                }
                                            } catch (IOException | InterruptedException e) {
                                                transportErrors.increment();
                                                if (firstProblems.size() < 10) {
                                                    firstProblems.add(shape.name() + " -> " + e);
                                                }
                                            } finally {
                                                gate.readLock().unlock();
                                            }
                                        }
                                        synchronized (latencies) {
                                            latencies.add(Arrays.copyOf(mine[0], count[0]));
                                        }
                                    });
            clients.add(t);
        }
        List<Map<String, Object>> memory = sampleMemory(server, settings.seconds(), end, gate);
        for (Thread t : clients) {
            t.join();
        }
        long[] all = latencies.stream().flatMapToLong(Arrays::stream).sorted().toArray();
        long requests =
                statuses.values().stream().mapToLong(LongAdder::sum).sum() + transportErrors.sum();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("seconds", settings.seconds());
        out.put("concurrency", settings.concurrency());
        out.put("model", settings.model().getFileName().toString());
        out.put("requests", requests);
        out.put("requests_per_second", Math.round(requests / (double) settings.seconds()));
        out.put("valid_requests", all.length);
        out.put("p50_ms", percentile(all, 0.50));
        out.put("p99_ms", percentile(all, 0.99));
        out.put("p999_ms", percentile(all, 0.999));
        out.put("max_ms", all.length == 0 ? 0 : all[all.length - 1] / 1e6);
        out.put("wrong_answers", validWrong.sum());
        out.put("server_errors_5xx", serverErrors.sum());
        out.put("transport_errors", transportErrors.sum());
        out.put("first_problems", firstProblems);
        Map<String, Long> byStatus = new java.util.TreeMap<>();
        statuses.forEach((k, v) -> byStatus.put(k, v.sum()));
        out.put("statuses", byStatus);
        out.put("memory", memory);
        double growth = heapGrowthMb(memory);
        out.put("heap_after_gc_growth_mb", growth);
        out.put("heap_growth_limit_mb", GROWTH_LIMIT_MB);
        out.put(
                "passed",
                validWrong.sum() == 0
                        && serverErrors.sum() == 0
                        && transportErrors.sum() == 0
                        && growth < GROWTH_LIMIT_MB);
        return out;
    }

    /**
     * Resident memory every few seconds, and the heap in use after a full GC at about ten points in
     * time, each taken with no request in flight (the clients wait for it, about a tenth of a
     * second): a leak shows as post-GC heap that keeps rising, which RSS alone would hide behind
     * the heap's own sizing, and in-flight bodies (up to 64 x 6 MiB) would drown.
     */
    private static List<Map<String, Object>> sampleMemory(
            Process server, int seconds, long end, ReentrantReadWriteLock gate) throws Exception {
        List<Map<String, Object>> samples = new ArrayList<>();
        long start = System.nanoTime();
        long gcEvery = Math.max(2, seconds / 10) * 1_000_000_000L;
        long nextGc = start + gcEvery;
        while (System.nanoTime() < end) {
            Thread.sleep(Math.min(5000, Math.max(100, (end - System.nanoTime()) / 1_000_000)));
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("t_s", Math.round((System.nanoTime() - start) / 1e9));
            s.put("rss_mb", rssMb(server.pid()));
            if (System.nanoTime() >= nextGc) {
                nextGc += gcEvery;
                gate.writeLock().lock();
                try {
                    s.put("heap_after_gc_mb", heapAfterGcMb(server.pid()));
                } finally {
                    gate.writeLock().unlock();
                }
            }
            samples.add(s);
        }
        return samples;
    }

    /**
     * The post-GC heap's trend over the run after warm-up (the first measurement is left out): the
     * least-squares slope times the time it spans, in MB. Noise averages out; a leak does not.
     */
    static double heapGrowthMb(List<Map<String, Object>> samples) {
        List<double[]> points = new ArrayList<>();
        for (Map<String, Object> s : samples) {
            if (s.get("heap_after_gc_mb") instanceof Double v && v >= 0) {
                points.add(new double[] {((Number) s.get("t_s")).doubleValue(), v});
            }
        }
        if (points.size() < 3) {
            return 0;
        }
        points = points.subList(1, points.size());
        double mt = points.stream().mapToDouble(p -> p[0]).average().orElse(0);
        double mh = points.stream().mapToDouble(p -> p[1]).average().orElse(0);
        double cov = 0;
        double var = 0;
        for (double[] p : points) {
            cov += (p[0] - mt) * (p[1] - mh);
            var += (p[0] - mt) * (p[0] - mt);
        }
        double span = points.getLast()[0] - points.getFirst()[0];
        return var == 0 ? 0 : cov / var * span;
    }

    private static double rssMb(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("\\D", "")) / 1024.0;
                }
            }
        } catch (IOException | NumberFormatException e) {
            // not Linux, or the process is gone
        }
        return -1;
    }

    private static double heapAfterGcMb(long pid) {
        String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
        try {
            run(jcmd, Long.toString(pid), "GC.run");
            Matcher m = HEAP_USED.matcher(run(jcmd, Long.toString(pid), "GC.heap_info"));
            return m.find() ? Long.parseLong(m.group(1)) / 1024.0 : -1;
        } catch (IOException | InterruptedException e) {
            return -1;
        }
    }

    private static String run(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(30, TimeUnit.SECONDS);
        return out;
    }

    private static double percentile(long[] sorted, double q) {
        if (sorted.length == 0) {
            return 0;
        }
        int i = (int) Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1);
        return Math.round(sorted[Math.max(0, i)] / 1e4) / 100.0;
    }

    private static Shape pick(List<Shape> shapes, int totalWeight, Random random) {
        int r = random.nextInt(totalWeight);
        for (Shape s : shapes) {
            r -= s.weight();
            if (r < 0) {
                return s;
            }
        }
        return shapes.getLast();
    }

    /**
     * The request mix for a tabular model: rows built from the model's own feature names and kinds,
     * in every accepted format, and the hostile inputs the server must refuse with a 4xx.
     */
    static List<Shape> shapes(Path model) throws IOException {
        var manifest = Json.MAPPER.readTree(model.resolve("manifest.json").toFile());
        List<String> names = new ArrayList<>();
        List<String> values = new ArrayList<>();
        for (var f : manifest.get("features")) {
            names.add(f.get("name").asText());
            values.add(f.get("kind").asText().equalsIgnoreCase("numeric") ? "1.5" : "x");
        }
        String row = String.join(",", values);
        String jsonRow =
                "["
                        + String.join(
                                ",", values.stream().map(v -> v.equals("x") ? "\"x\"" : v).toList())
                        + "]";
        byte[] oversized = new byte[6 * 1024 * 1024 + 1];
        Arrays.fill(oversized, (byte) '1');
        String csv = "text/csv";
        List<Shape> s = new ArrayList<>();
        s.add(new Shape("csv 1 row", true, 40, bytes(row + "\n"), "Content-Type", csv));
        s.add(
                new Shape(
                        "csv 10 rows, quotes, CRLF",
                        true,
                        10,
                        bytes(("\"" + row.replace(",", "\",\"") + "\"\r\n").repeat(10)),
                        "Content-Type",
                        csv));
        s.add(
                new Shape(
                        "csv 1000 rows",
                        true,
                        2,
                        bytes((row + "\n").repeat(1000)),
                        "Content-Type",
                        csv));
        s.add(
                new Shape(
                        "json 5 rows",
                        true,
                        10,
                        bytes(
                                "{\"instances\": ["
                                        + String.join(
                                                ",", java.util.Collections.nCopies(5, jsonRow))
                                        + "]}"),
                        "Content-Type",
                        "application/json",
                        "Accept",
                        "application/json"));
        s.add(
                new Shape(
                        "jsonlines 3 rows",
                        true,
                        8,
                        bytes((jsonRow + "\n").repeat(3)),
                        "Content-Type",
                        "application/jsonlines"));
        s.add(new Shape("wrong column count", false, 4, bytes(row + ",1\n"), "Content-Type", csv));
        s.add(
                new Shape(
                        "header row",
                        false,
                        3,
                        bytes(String.join(",", names) + "\n" + row + "\n"),
                        "Content-Type",
                        csv));
        s.add(
                new Shape(
                        "invalid UTF-8",
                        false,
                        3,
                        new byte[] {'1', ',', (byte) 0xC3, (byte) 0x28, '\n'},
                        "Content-Type",
                        csv));
        s.add(
                new Shape(
                        "deep JSON",
                        false,
                        3,
                        bytes("[".repeat(5000) + "]".repeat(5000)),
                        "Content-Type",
                        "application/json"));
        s.add(
                new Shape(
                        "huge number",
                        false,
                        3,
                        bytes(jsonRow.replaceFirst("1\\.5", "9".repeat(500))),
                        "Content-Type",
                        "application/json"));
        s.add(
                new Shape(
                        "NaN token",
                        false,
                        2,
                        bytes(jsonRow.replaceFirst("1\\.5", "NaN")),
                        "Content-Type",
                        "application/json"));
        s.add(
                new Shape(
                        "broken JSON",
                        false,
                        2,
                        bytes("{\"instances\": [" + jsonRow),
                        "Content-Type",
                        "application/json"));
        s.add(new Shape("empty body", false, 3, new byte[0], "Content-Type", csv));
        s.add(
                new Shape(
                        "unsupported Content-Type",
                        false,
                        2,
                        bytes(row),
                        "Content-Type",
                        "application/x-recordio-protobuf"));
        s.add(
                new Shape(
                        "unsupported Accept",
                        false,
                        2,
                        bytes(row),
                        "Content-Type",
                        csv,
                        "Accept",
                        "image/png"));
        s.add(new Shape("6 MiB + 1 byte", false, 1, oversized, "Content-Type", csv));
        return s;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static void awaitHealthy(HttpClient http, URI base, Process server, Path log)
            throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            if (!server.isAlive()) {
                throw new IllegalStateException("serve exited: " + Files.readString(log));
            }
            if (ping(http, base) == 200) {
                return;
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("serve did not become healthy: " + Files.readString(log));
    }

    private static int ping(HttpClient http, URI base) {
        try {
            return http.send(
                            HttpRequest.newBuilder(base.resolve("/ping"))
                                    .timeout(Duration.ofSeconds(2))
                                    .build(),
                            HttpResponse.BodyHandlers.discarding())
                    .statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path f : files.toList()) {
                Path t = to.resolve(from.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(t);
                } else {
                    Files.copy(f, t, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    /** The figures as one line of text, for logs. */
    static String summary(Map<String, Object> r) {
        return String.format(
                Locale.ROOT,
                "%s: %s requests in %s s at c%s, p99 %s ms, 5xx %s, wrong %s, heap growth %.1f MB",
                Boolean.TRUE.equals(r.get("passed")) ? "passed" : "FAILED",
                r.get("requests"),
                r.get("seconds"),
                r.get("concurrency"),
                r.get("p99_ms"),
                r.get("server_errors_5xx"),
                r.get("wrong_answers"),
                (Double) r.get("heap_after_gc_growth_mb"));
    }
}
