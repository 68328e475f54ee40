package dev.byoe.jobs.train.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.byoe.core.JobFailure;
import dev.byoe.core.Json;
import dev.byoe.training.TrainingStop;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The leader's side: a small HTTP service on {@link Cluster#PORT} (JDK's own server) where the
 * other hosts join, poll the job's state every second (which is also how the leader knows they are
 * alive), and deliver finished units. A host that reports a failure, or goes silent for the silence
 * timeout, ends the job; the verdict names it and every host learns it on its next poll.
 */
final class Coordinator implements Team {
    private static final java.util.regex.Pattern UNIT_NAME =
            java.util.regex.Pattern.compile("[a-z0-9][a-z0-9_-]*");

    private final Cluster cluster;
    private final UnitInbox inbox;
    private final Consumer<HostFailure> verdictHandler;
    private final HttpServer server;
    private final Map<String, Map<String, Object>> summaries = new ConcurrentHashMap<>();
    private final Map<String, Long> lastHeard = new ConcurrentHashMap<>();
    private final Set<String> sawDone = ConcurrentHashMap.newKeySet();
    private final long startedAt = System.nanoTime();
    private volatile Set<String> heldAtStart;
    private volatile Map<String, Object> secondPhase;
    private volatile boolean done;
    private HostFailure verdict;
    private HostFailure candidate;
    private long candidateAt;

    Coordinator(Cluster cluster, UnitInbox inbox, Consumer<HostFailure> verdictHandler) {
        this.cluster = cluster;
        this.inbox = inbox;
        this.verdictHandler = verdictHandler;
        try {
            server = HttpServer.create(new InetSocketAddress(cluster.leaderPort()), 16);
        } catch (IOException e) {
            throw new JobFailure(
                    "the leader cannot listen on port "
                            + cluster.leaderPort()
                            + " for the other hosts: "
                            + e.getMessage(),
                    e);
        }
        server.setExecutor(Executors.newFixedThreadPool(4, daemon("byoe-coordinator")));
        server.createContext("/join", e -> answer(e, join(e)));
        server.createContext("/state", e -> answer(e, state(query(e).get("host"))));
        server.createContext("/unit", e -> answer(e, unit(e)));
        server.createContext("/failed", e -> answer(e, reported(e)));
        server.start();
        Thread watch = daemon("byoe-watch").newThread(this::watch);
        watch.start();
    }

    @Override
    public Cluster cluster() {
        return cluster;
    }

    @Override
    public Set<String> join(Map<String, Object> summary) {
        summaries.put(cluster.current(), summary);
        long deadline = startedAt + cluster.joinTimeout().toNanos();
        while (summaries.size() < cluster.size()) {
            if (System.nanoTime() > deadline) {
                Set<String> missing = new TreeSet<>(cluster.hosts());
                missing.removeAll(summaries.keySet());
                decide(
                        new HostFailure(
                                missing.iterator().next(),
                                "did not join within "
                                        + cluster.joinTimeout().toSeconds()
                                        + " s (missing: "
                                        + missing
                                        + "; can it reach the leader at "
                                        + cluster.coordinator()
                                        + "?)",
                                false));
                pause(Long.MAX_VALUE);
            }
            pause(100);
        }
        Object mine = summary.get("must_agree");
        for (String host : cluster.hosts()) {
            Object theirs = summaries.get(host).get("must_agree");
            if (!Objects.equals(mine, theirs)) {
                decide(
                        new HostFailure(
                                host,
                                "read data unlike the leader's: "
                                        + theirs
                                        + " where "
                                        + cluster.leader()
                                        + " has "
                                        + mine,
                                false));
                pause(Long.MAX_VALUE);
            }
        }
        heldAtStart = Set.copyOf(inbox.held());
        return heldAtStart;
    }

    @Override
    public Map<String, Map<String, Object>> summaries() {
        return Map.copyOf(summaries);
    }

    @Override
    public void deliver(String unit, Path folder) {
        // The leader's own units are already where the assembly reads them.
    }

    @Override
    public Map<String, Object> secondPhase(Supplier<Map<String, Object>> make) {
        secondPhase = make.get();
        return secondPhase;
    }

    @Override
    public void awaitUnits(Set<String> units) {
        while (!units.stream().allMatch(inbox::holds)) {
            TrainingStop.check("stopped while waiting for the other hosts' units");
            pause(200);
        }
    }

    @Override
    public void finished() {
        done = true;
        long deadline = System.nanoTime() + cluster.silenceTimeout().toNanos();
        while (sawDone.size() < cluster.size() - 1 && System.nanoTime() < deadline) {
            pause(100);
        }
    }

    @Override
    public void failed(String reason, boolean secondary) {
        decide(new HostFailure(cluster.current(), reason, secondary));
        pause(Long.MAX_VALUE);
    }

    @Override
    public void close() {
        // A follower counted in sawDone was answered "done" by an exchange that may still be on
        // its way out; stopping at once could cut it off, and that follower would then find the
        // leader gone and fail a finished job. stop(n) returns as soon as exchanges complete.
        server.stop(2);
    }

    private Map<String, Object> join(HttpExchange e) throws IOException {
        JsonNode body = Json.MAPPER.readTree(e.getRequestBody());
        String host = body.path("host").asText();
        if (!cluster.hosts().contains(host)) {
            return Map.of("error", host + " is not a host of this job " + cluster.hosts());
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> summary = Json.MAPPER.convertValue(body.path("summary"), Map.class);
        summaries.put(host, summary);
        lastHeard.put(host, System.nanoTime());
        return Map.of("joined", host);
    }

    private Map<String, Object> state(String host) {
        if (host != null) {
            lastHeard.put(host, System.nanoTime());
            if (done) {
                sawDone.add(host);
            }
        }
        Map<String, Object> out = new LinkedHashMap<>();
        HostFailure v = verdict();
        if (v != null) {
            out.put("failure", v);
        }
        if (heldAtStart != null) {
            out.put("held", heldAtStart);
        }
        if (secondPhase != null) {
            out.put("second_phase", secondPhase);
        }
        out.put("done", done);
        return out;
    }

    private Map<String, Object> unit(HttpExchange e) throws IOException {
        String id = query(e).get("id");
        if (id == null || !UNIT_NAME.matcher(id).matches()) {
            // A unit's name becomes a folder name in the checkpoints: nothing that could climb out.
            return Map.of("error", "not a unit name: " + id);
        }
        Path archive = Files.createTempFile("byoe-unit-", ".tar.gz");
        try (InputStream in = e.getRequestBody()) {
            Files.copy(in, archive, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            inbox.receive(id, archive);
        } finally {
            Files.deleteIfExists(archive);
        }
        return Map.of("kept", id);
    }

    private Map<String, Object> reported(HttpExchange e) throws IOException {
        JsonNode body = Json.MAPPER.readTree(e.getRequestBody());
        decide(
                new HostFailure(
                        body.path("host").asText(),
                        body.path("reason").asText(),
                        body.path("secondary").asBoolean()));
        return Map.of("heard", true);
    }

    /**
     * Records a failure. A cause is the verdict at once; a consequence becomes it only if no cause
     * turns up within the silence timeout (the host that died is about to go silent).
     */
    private void decide(HostFailure failure) {
        HostFailure decided = null;
        synchronized (this) {
            if (verdict != null) {
                return;
            }
            if (failure.secondary()) {
                if (candidate == null) {
                    candidate = failure;
                    candidateAt = System.nanoTime();
                }
                return;
            }
            verdict = failure;
            decided = failure;
        }
        verdictHandler.accept(decided);
    }

    private synchronized HostFailure verdict() {
        return verdict;
    }

    private void watch() {
        while (true) {
            pause(250);
            long now = System.nanoTime();
            long silence = cluster.silenceTimeout().toNanos();
            for (Map.Entry<String, Long> heard : lastHeard.entrySet()) {
                if (sawDone.contains(heard.getKey())) {
                    continue;
                }
                if (now - heard.getValue() > silence) {
                    decide(
                            new HostFailure(
                                    heard.getKey(),
                                    "stopped answering for "
                                            + cluster.silenceTimeout().toSeconds()
                                            + " s (killed, out of memory, or cut off from the leader)",
                                    false));
                }
            }
            HostFailure promoted = null;
            synchronized (this) {
                if (verdict == null && candidate != null && now - candidateAt > silence) {
                    verdict = candidate;
                    promoted = candidate;
                }
            }
            if (promoted != null) {
                verdictHandler.accept(promoted);
            }
        }
    }

    private static Map<String, String> query(HttpExchange e) {
        Map<String, String> out = new LinkedHashMap<>();
        String q = e.getRequestURI().getRawQuery();
        if (q != null) {
            for (String part : q.split("&")) {
                int eq = part.indexOf('=');
                if (eq > 0) {
                    out.put(
                            part.substring(0, eq),
                            URLDecoder.decode(part.substring(eq + 1), StandardCharsets.UTF_8));
                }
            }
        }
        return out;
    }

    private static void answer(HttpExchange e, Map<String, Object> body) throws IOException {
        byte[] bytes = Json.MAPPER.writeValueAsBytes(body);
        e.getResponseHeaders().set("Content-Type", "application/json");
        e.sendResponseHeaders(body.containsKey("error") ? 400 : 200, bytes.length);
        try (var out = e.getResponseBody()) {
            out.write(bytes);
        }
    }

    static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }

    static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UncheckedIOException(new IOException("interrupted"));
        }
    }

    /** One host alone, as {@link Team#forHost} makes it: nothing to exchange. */
    static final class Solo implements Team {
        private final Cluster cluster;
        private final UnitInbox inbox;

        Solo(Cluster cluster, UnitInbox inbox) {
            this.cluster = cluster;
            this.inbox = inbox;
        }

        @Override
        public Cluster cluster() {
            return cluster;
        }

        private Map<String, Object> summary = Map.of();

        @Override
        public Set<String> join(Map<String, Object> own) {
            summary = own;
            return Set.copyOf(inbox.held());
        }

        @Override
        public Map<String, Map<String, Object>> summaries() {
            return Map.of(cluster.current(), summary);
        }

        @Override
        public void deliver(String unit, Path folder) {}

        @Override
        public Map<String, Object> secondPhase(Supplier<Map<String, Object>> make) {
            return make.get();
        }

        @Override
        public void awaitUnits(Set<String> units) {}

        @Override
        public void finished() {}

        @Override
        public void failed(String reason, boolean secondary) {}

        @Override
        public void close() {}
    }
}
