package dev.byoe.jobs.train.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import dev.byoe.core.JobFailure;
import dev.byoe.core.Json;
import dev.byoe.jobs.registry.ModelArchive;
import dev.byoe.training.TrainingStop;
import java.io.IOException;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * A host other than the leader: joins the leader's {@link Coordinator}, polls its state every
 * second from a thread of its own (so that a host busy in native training still answers), and
 * delivers finished units. The leader going silent ends the job here, naming the leader.
 */
final class CoordinatorClient implements Team {
    private final Cluster cluster;
    private final Consumer<HostFailure> verdictHandler;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private volatile JsonNode state;
    private volatile long lastHeard = System.nanoTime();
    private volatile boolean closed;
    private boolean polling;

    CoordinatorClient(Cluster cluster, Consumer<HostFailure> verdictHandler) {
        this.cluster = cluster;
        this.verdictHandler = verdictHandler;
    }

    @Override
    public Cluster cluster() {
        return cluster;
    }

    @Override
    public Set<String> join(Map<String, Object> summary) {
        long deadline = System.nanoTime() + cluster.joinTimeout().toNanos();
        String last = "";
        while (true) {
            try {
                post(
                        "join",
                        Json.MAPPER.writeValueAsBytes(
                                Map.of("host", cluster.current(), "summary", summary)));
                break;
            } catch (IOException e) {
                last = e.toString();
            }
            if (System.nanoTime() > deadline) {
                verdictHandler.accept(
                        new HostFailure(
                                cluster.leader(),
                                "could not be reached at "
                                        + cluster.coordinator()
                                        + " within "
                                        + cluster.joinTimeout().toSeconds()
                                        + " s ("
                                        + last
                                        + ")",
                                false));
                Coordinator.pause(Long.MAX_VALUE);
            }
            Coordinator.pause(500);
        }
        startPolling();
        JsonNode held = awaitState("held");
        Set<String> out = new HashSet<>();
        held.forEach(n -> out.add(n.asText()));
        return out;
    }

    @Override
    public void deliver(String unit, Path folder) {
        try {
            Path archive = Files.createTempFile("byoe-unit-", ".tar.gz");
            try {
                ModelArchive.pack(folder, archive);
                byte[] bytes = Files.readAllBytes(archive);
                post("unit?id=" + URLEncoder.encode(unit, StandardCharsets.UTF_8), bytes);
            } finally {
                Files.deleteIfExists(archive);
            }
        } catch (IOException e) {
            throw new JobFailure(
                    "could not deliver " + unit + " to the leader " + cluster.leader() + ": " + e,
                    e);
        }
    }

    @Override
    public Map<String, Object> secondPhase(Supplier<Map<String, Object>> make) {
        @SuppressWarnings("unchecked")
        Map<String, Object> phase = Json.MAPPER.convertValue(awaitState("second_phase"), Map.class);
        return phase;
    }

    @Override
    public void awaitUnits(Set<String> units) {}

    @Override
    public void finished() {
        while (state == null || !state.path("done").asBoolean()) {
            Coordinator.pause(200);
        }
    }

    /**
     * Tells the leader, then waits for its verdict. A host that fails before it joined (its data
     * unreadable) tells it too, so that the job fails at once, naming it, rather than when the join
     * timeout runs out. If the leader cannot be told, this host's own reason is the verdict.
     */
    @Override
    public void failed(String reason, boolean secondary) {
        byte[] report;
        try {
            report =
                    Json.MAPPER.writeValueAsBytes(
                            Map.of(
                                    "host",
                                    cluster.current(),
                                    "reason",
                                    reason,
                                    "secondary",
                                    secondary));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        long deadline = System.nanoTime() + REPORT_TIMEOUT.toNanos();
        while (true) {
            try {
                post("failed", report);
                break;
            } catch (IOException e) {
                if (System.nanoTime() > deadline) {
                    verdictHandler.accept(new HostFailure(cluster.current(), reason, false));
                }
                Coordinator.pause(500);
            }
        }
        startPolling();
        Coordinator.pause(Long.MAX_VALUE);
    }

    /** How long a failing host keeps trying to tell the leader. */
    static final Duration REPORT_TIMEOUT = Duration.ofSeconds(10);

    private synchronized void startPolling() {
        if (polling) {
            return;
        }
        polling = true;
        lastHeard = System.nanoTime();
        Coordinator.daemon("byoe-poll").newThread(this::poll).start();
    }

    @Override
    public Map<String, Map<String, Object>> summaries() {
        return Map.of();
    }

    @Override
    public void close() {
        closed = true;
    }

    private void poll() {
        while (!closed) {
            try {
                byte[] body =
                        get(
                                "state?host="
                                        + URLEncoder.encode(
                                                cluster.current(), StandardCharsets.UTF_8));
                JsonNode s = Json.MAPPER.readTree(body);
                lastHeard = System.nanoTime();
                state = s;
                if (s.has("failure")) {
                    JsonNode f = s.get("failure");
                    verdictHandler.accept(
                            new HostFailure(
                                    f.path("host").asText(), f.path("reason").asText(), false));
                    return;
                }
                if (s.path("done").asBoolean()) {
                    return;
                }
            } catch (IOException e) {
                if (System.nanoTime() - lastHeard > cluster.silenceTimeout().toNanos()) {
                    verdictHandler.accept(
                            new HostFailure(
                                    cluster.leader(),
                                    "(the leader) stopped answering for "
                                            + cluster.silenceTimeout().toSeconds()
                                            + " s (killed, out of memory, or cut off): "
                                            + e,
                                    false));
                    return;
                }
            }
            Coordinator.pause(POLL_MILLIS);
        }
    }

    private JsonNode awaitState(String field) {
        while (state == null || !state.has(field)) {
            TrainingStop.check("stopped while waiting for the leader");
            Coordinator.pause(100);
        }
        return state.get(field);
    }

    private byte[] post(String path, byte[] body) throws IOException {
        return send(
                HttpRequest.newBuilder(cluster.coordinator().resolve(path))
                        .timeout(Duration.ofSeconds(120))
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                        .build());
    }

    private byte[] get(String path) throws IOException {
        return send(
                HttpRequest.newBuilder(cluster.coordinator().resolve(path))
                        .timeout(Duration.ofSeconds(5))
                        .GET()
                        .build());
    }

    private byte[] send(HttpRequest request) throws IOException {
        try {
            HttpResponse<byte[]> r = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
            if (r.statusCode() != 200) {
                throw new JobFailure(
                        "the leader refused "
                                + request.uri().getPath()
                                + ": "
                                + new String(r.body(), StandardCharsets.UTF_8));
            }
            return r.body();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }
}
