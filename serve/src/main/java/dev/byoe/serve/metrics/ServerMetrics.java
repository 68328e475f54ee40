package dev.byoe.serve.metrics;

import dev.byoe.model.MemberTimes;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.DoubleSupplier;
import java.util.function.IntSupplier;

/**
 * What {@code GET /metrics} reports, in Prometheus's text format (Micrometer): invocations by
 * status and content type with latency histograms, each member's predict time, invocations in
 * flight and waiting, refusals with 503, and the model's load time. {@code /ping} is not counted,
 * so health checks stay cheap and do not drown the figures. Tag values come from small fixed sets
 * (statuses, the known content types or {@code other}, member names), never from request text.
 */
public final class ServerMetrics implements MemberTimes {
    /** Prometheus's text exposition format. */
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final PrometheusMeterRegistry registry =
            new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Map<String, Timer> invocations = new ConcurrentHashMap<>();
    private final Map<String, Timer> members = new ConcurrentHashMap<>();
    private final Counter refusals;

    public ServerMetrics(IntSupplier inFlight, IntSupplier waiting, DoubleSupplier loadSeconds) {
        Gauge.builder("byoe.invocations.in.flight", inFlight::getAsInt)
                .description("invocations being handled")
                .register(registry);
        Gauge.builder("byoe.invocations.waiting", waiting::getAsInt)
                .description("invocations waiting for a worker or for working memory")
                .register(registry);
        Gauge.builder("byoe.model.load.seconds", loadSeconds::getAsDouble)
                .description("time from the server's start to the model being loaded and warmed up")
                .register(registry);
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

    public String scrape() {
        return registry.scrape();
    }
}
