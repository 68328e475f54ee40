package dev.byoe.serve.metrics;

import dev.byoe.model.MemberTimes;
import dev.byoe.serve.models.CatalogEntry;
import dev.byoe.serve.models.CatalogEvents;
import dev.byoe.serve.models.ModelCatalog;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.DoubleSupplier;
import java.util.function.IntSupplier;

/**
 * What {@code GET /metrics} reports, in Prometheus's text format (Micrometer): invocations by
 * status and content type with latency histograms, each member's predict time, invocations in
 * flight and waiting, refusals with 503, the model's load time, and the JVM's heap, collections
 * (with pause times) and threads. {@code /ping} is not counted, so health checks stay cheap and do
 * not drown the figures. Tag values come from small fixed sets (statuses, the known content types
 * or {@code other}, member names), never from request text.
 *
 * <p>On a multi-model endpoint it also counts each loaded model's invocations by status (tagged
 * with the model's name, removed when the model goes), loads with their times, unloads and
 * evictions, and the models' memory against the budget.
 */
public final class ServerMetrics implements MemberTimes, CatalogEvents, AutoCloseable {
    private static final String MODEL_INVOCATIONS = "byoe.model.invocations";

    /** Prometheus's text exposition format. */
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final PrometheusMeterRegistry registry =
            new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Map<String, Timer> invocations = new ConcurrentHashMap<>();
    private final Map<String, Timer> members = new ConcurrentHashMap<>();
    private final Counter refusals;
    private final CompletableFuture<JvmGcMetrics> jvmMetrics;

    /**
     * @param loadSeconds the one model's load time; {@code null} on a multi-model endpoint
     */
    public ServerMetrics(IntSupplier inFlight, IntSupplier waiting, DoubleSupplier loadSeconds) {
        Gauge.builder("byoe.invocations.in.flight", inFlight::getAsInt)
                .description("invocations being handled")
                .register(registry);
        Gauge.builder("byoe.invocations.waiting", waiting::getAsInt)
                .description("invocations waiting for a worker or for working memory")
                .register(registry);
        if (loadSeconds != null) {
            Gauge.builder("byoe.model.load.seconds", loadSeconds::getAsDouble)
                    .description(
                            "time from the server's start to the model being loaded and warmed up")
                    .register(registry);
        }
        // The JVM's own figures (heap and other pools, collections with their pauses, threads):
        // what to look at when throughput or latency moves under load. Bound on a thread of their
        // own, as reading the platform's management beans the first time costs 10-15 ms of a cold
        // start; a scrape waits for them.
        jvmMetrics =
                CompletableFuture.supplyAsync(
                        this::bindJvmMetrics,
                        task -> Thread.ofPlatform().daemon().name("byoe-jvm-metrics").start(task));
        refusals =
                Counter.builder("byoe.invocations.refused")
                        .description(
                                "invocations answered 503 (busy, overloaded, past their deadline, still loading)")
                        .register(registry);
    }

    /**
     * One answered invocation: its status, the format its Content-Type named, and how long it took.
     */
    public void invocation(int status, String contentType, long nanos) {
        invocations
                .computeIfAbsent(
                        status + " " + contentType,
                        key ->
                                Timer.builder("byoe.invocations")
                                        .description(
                                                "POST /invocations, by status and request content type")
                                        .tag("status", Integer.toString(status))
                                        .tag("content_type", contentType)
                                        .publishPercentileHistogram()
                                        .register(registry))
                .record(nanos, TimeUnit.NANOSECONDS);
        if (status == 503) {
            refusals.increment();
        }
    }

    @Override
    public void record(String member, long nanos) {
        members.computeIfAbsent(
                        member,
                        name ->
                                Timer.builder("byoe.member.predict")
                                        .description(
                                                "one member's predict call on one request's batch")
                                        .tag("member", name)
                                        .publishPercentileHistogram()
                                        .register(registry))
                .record(nanos, TimeUnit.NANOSECONDS);
    }

    /** Figures of the catalog of a multi-model endpoint. */
    public void watch(ModelCatalog catalog) {
        Gauge.builder("byoe.models.loaded", catalog::size)
                .description("models loaded on this multi-model endpoint")
                .register(registry);
        Gauge.builder("byoe.models.resident.bytes", catalog::residentBytes)
                .description("memory the loaded models hold, as measured at their loads")
                .baseUnit("bytes")
                .register(registry);
        Gauge.builder("byoe.models.budget.bytes", () -> catalog.budget().bytes())
                .description("memory the models may hold together")
                .baseUnit("bytes")
                .register(registry);
    }

    /** One answered invocation of a model of a multi-model endpoint. */
    public void modelInvocation(String model, int status) {
        registry.counter(MODEL_INVOCATIONS, "model", model, "status", Integer.toString(status))
                .increment();
    }

    @Override
    public void loaded(CatalogEntry entry) {
        Timer.builder("byoe.model.loads")
                .description("loading and warming up one model of a multi-model endpoint")
                .tag("kind", entry.served().kind())
                .publishPercentileHistogram()
                .register(registry)
                .record((long) (entry.loadMillis() * 1e6), TimeUnit.NANOSECONDS);
    }

    @Override
    public void unloaded(CatalogEntry entry, boolean evicted) {
        registry.counter("byoe.model.unloads", "reason", evicted ? "evicted" : "requested")
                .increment();
        for (Meter m : registry.find(MODEL_INVOCATIONS).tag("model", entry.name()).meters()) {
            registry.remove(m);
        }
    }

    private JvmGcMetrics bindJvmMetrics() {
        new JvmMemoryMetrics().bindTo(registry);
        JvmGcMetrics gc = new JvmGcMetrics();
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        return gc;
    }

    public String scrape() {
        jvmMetrics.join();
        return registry.scrape();
    }

    /**
     * Stops listening to the JVM's collections: a JVM that starts and stops servers (tests, the
     * self-test) would otherwise keep one listener per server.
     */
    @Override
    public void close() {
        jvmMetrics.join().close();
    }
}
