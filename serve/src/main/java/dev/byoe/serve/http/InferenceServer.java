package dev.byoe.serve.http;

import com.sun.management.HotSpotDiagnosticMXBean;
import dev.byoe.serve.capture.DataCapture;
import dev.byoe.serve.codec.RequestProblem;
import dev.byoe.serve.metrics.ServerMetrics;
import dev.byoe.serve.models.CatalogProblem;
import dev.byoe.serve.models.MemoryBudget;
import dev.byoe.serve.models.ModelCatalog;
import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import org.eclipse.jetty.server.AbstractConnector;
import org.eclipse.jetty.server.Connector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SageMaker inference HTTP server, serving one model or, on a multi-model endpoint, a {@link
 * ModelCatalog} of them. The routing in {@link #start(ServerSettings, ModelHolder)} and {@link
 * #startMultiModel} is the whole API.
 */
public final class InferenceServer {
    private static final Logger LOG = LoggerFactory.getLogger(InferenceServer.class);

    /** SageMaker sends SIGKILL 30 s after SIGTERM; requests in flight get most of that. */
    static final Duration DRAIN_LIMIT = Duration.ofSeconds(25);

    private static final Duration ERROR_WRITE_GRACE = Duration.ofMillis(200);

    /**
     * Idle keep-alive connections close after this long: longer than clients keep idle connections
     * (30 s for Java's HttpClient, 60 s for AWS load balancers), so that the client closes first.
     * With equal timeouts a client may send on a connection the server is closing, and lose the
     * request (seen once in 3.4 million requests of the soak test at Jetty's default of 30 s).
     */
    static final Duration KEEP_ALIVE_IDLE = Duration.ofSeconds(75);

    static final Duration STALLED_UPLOAD = Duration.ofSeconds(30);

    /**
     * How far past its deadline a request may stay silent before Jetty's idle timeout ends it. Work
     * notices the deadline only at its next check, so a request can overrun it by a slice of work;
     * were the idle timeout the deadline itself, it could fire first, and Jetty then closed the
     * connection right after the handler's 503 went out, without {@code Connection: close}, so a
     * keep-alive client lost its next request on that connection (seen in {@code ServeLimitsIT}).
     */
    static final Duration DEADLINE_ANSWER_MARGIN = Duration.ofSeconds(1);

    /**
     * A request line and headers (at most a few KB) that take longer than this are a slow-loris
     * client.
     */
    static final Duration HEADER_READ_LIMIT = Duration.ofSeconds(10);

    private final Javalin app;
    private final InFlight inFlight;
    private final DataCapture capture;
    private final HeaderReadTimeout headerTimeout;
    private final ModelCatalog catalog;
    private final ServerMetrics metrics;

    private InferenceServer(
            Javalin app,
            InFlight inFlight,
            DataCapture capture,
            HeaderReadTimeout headerTimeout,
            ModelCatalog catalog,
            ServerMetrics metrics) {
        this.app = app;
        this.inFlight = inFlight;
        this.capture = capture;
        this.headerTimeout = headerTimeout;
        this.catalog = catalog;
        this.metrics = metrics;
    }

    /** The routes of an endpoint with one model. */
    public static InferenceServer start(ServerSettings settings, ModelHolder holder) {
        InFlight inFlight = new InFlight();
        Admission admission = admission(settings);
        ServerMetrics metrics =
                new ServerMetrics(inFlight::count, admission::waiting, holder::loadSeconds);
        InvocationHandler invocations =
                new InvocationHandler(settings, ctx -> lease(holder), inFlight, admission, metrics);
        return start(
                settings,
                inFlight,
                metrics,
                "GET /ping, POST /invocations, GET /execution-parameters, GET /metrics",
                null,
                cfg -> {
                    cfg.routes.get("/ping", ctx -> ping(ctx, holder));
                    cfg.routes.post("/invocations", invocations::handle);
                });
    }

    /**
     * The routes of a multi-model endpoint: the model-management API and {@code POST
     * /models/{name}/invoke}; {@code /ping} is healthy from the start (no model is needed).
     */
    public static InferenceServer startMultiModel(ServerSettings settings, MemoryBudget budget) {
        InFlight inFlight = new InFlight();
        Admission admission = admission(settings);
        ServerMetrics metrics = new ServerMetrics(inFlight::count, admission::waiting, null);
        ModelCatalog catalog =
                new ModelCatalog(budget, settings.deadline().plusSeconds(1), metrics);
        metrics.watch(catalog);
        ModelRoutes models = new ModelRoutes(catalog);
        InvocationHandler invocations =
                new InvocationHandler(settings, models::lease, inFlight, admission, metrics);
        return start(
                settings,
                inFlight,
                metrics,
                "GET /ping, POST /models, GET /models, GET /models/{name}, DELETE /models/{name},"
                        + " POST /models/{name}/invoke, GET /execution-parameters, GET /metrics",
                catalog,
                cfg -> {
                    cfg.routes.get("/ping", ctx -> ctx.status(200));
                    cfg.routes.post("/models", models::load);
                    cfg.routes.get("/models", models::list);
                    cfg.routes.get("/models/{name}", models::describe);
                    cfg.routes.delete("/models/{name}", models::unload);
                    cfg.routes.post("/models/{name}/invoke", invocations::handle);
                    cfg.routes.post(
                            "/invocations",
                            ctx -> {
                                throw HttpProblem.badRequest(
                                        "this is a multi-model endpoint: invoke a model with POST"
                                                + " /models/{name}/invoke (SageMaker: TargetModel)");
                            });
                });
    }

    private static Admission admission(ServerSettings settings) {
        return new Admission(settings.workers(), settings.queue(), settings.workingBytes());
    }

    private static ModelLease lease(ModelHolder holder) {
        var model = holder.get();
        if (model == null) {
            throw new HttpProblem(503, "the model is still loading");
        }
        return ModelLease.of(model);
    }

    private static final String REFERENCES_PER_CACHE_LINE =
            "org.eclipse.jetty.util.referencesPerCacheLine";

    /**
     * Jetty pads its queues by how many object references fill a cache line, and unless told asks
     * the platform MBean server whether references are compressed: creating that server and
     * registering every platform MBean took ~80 ms of a ~450 ms cold start (bench/RESULTS.md). The
     * JVM's own diagnostic bean answers the same question without the server.
     */
    private static void tellJettyTheReferenceSize() {
        if (System.getProperty(REFERENCES_PER_CACHE_LINE) != null) {
            return;
        }
        boolean compressed =
                Boolean.parseBoolean(
                        ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class)
                                .getVMOption("UseCompressedOops")
                                .getValue());
        int cacheLine = Integer.getInteger("org.eclipse.jetty.util.cacheLineBytes", 64);
        int references = cacheLine / (compressed ? 4 : 8);
        System.setProperty(REFERENCES_PER_CACHE_LINE, Integer.toString(references));
    }

    private static InferenceServer start(
            ServerSettings settings,
            InFlight inFlight,
            ServerMetrics metrics,
            String api,
            ModelCatalog catalog,
            Consumer<JavalinConfig> routes) {
        tellJettyTheReferenceSize();
        Javalin app =
                Javalin.create(
                        cfg -> {
                            cfg.startup.showJavalinBanner = false;
                            cfg.startup.showOldJavalinVersionWarning = false;
                            // Platform threads by default: requests are CPU-bound, and the OS
                            // time-slices them, where
                            // virtual threads run each to completion and long batches delay the
                            // rest (bench/RESULTS.md).
                            cfg.concurrency.useVirtualThreads =
                                    "true".equalsIgnoreCase(System.getenv("BYOE_VIRTUAL_THREADS"));
                            // Bodies are read and size-checked by InvocationHandler itself.
                            cfg.http.maxRequestSize = settings.maxBodyBytes() + 1;
                            cfg.jetty.port = settings.port();
                            // Hand a request to its handler once its headers are in (not when body
                            // bytes arrive), so
                            // that a slow upload already counts as in flight when a shutdown
                            // starts.
                            cfg.jetty.modifyHttpConfiguration(
                                    http -> {
                                        http.setDelayDispatchUntilContent(false);
                                        // Within a request: an upload that stops sending for this
                                        // long (or for the deadline and its margin, if shorter)
                                        // ends with 408.
                                        http.setIdleTimeout(
                                                Math.min(
                                                        STALLED_UPLOAD.toMillis(),
                                                        settings.deadline()
                                                                .plus(DEADLINE_ANSWER_MARGIN)
                                                                .toMillis()));
                                    });
                            // Jetty's own refusals (431, 414, 400) in the JSON error body too.
                            cfg.jetty.modifyServer(
                                    server -> server.setErrorHandler(new JettyErrors()));
                            // A known path with the wrong method is 405 with Allow, not 404.
                            cfg.http.prefer405over404 = true;
                            routes.accept(cfg);
                            cfg.routes.get("/metrics", ctx -> metrics(ctx, metrics));
                            // Figures of invocations only: health checks stay cheap and uncounted.
                            cfg.requestLogger.http((ctx, ms) -> count(ctx, ms, metrics));
                            cfg.routes.get(
                                    "/execution-parameters",
                                    ctx -> executionParameters(ctx, settings));
                            cfg.routes.error(
                                    405,
                                    "*",
                                    ctx ->
                                            problem(
                                                    ctx,
                                                    405,
                                                    ctx.method()
                                                            + " is not allowed on "
                                                            + ctx.path()
                                                            + "; allowed: "
                                                            + ctx.res().getHeader("Allow")));
                            // Only for paths no route took: a route's own 404 (an unknown
                            // model) keeps its message.
                            cfg.routes.error(
                                    404,
                                    "*",
                                    ctx -> {
                                        if (ctx.attribute(ANSWERED) == null) {
                                            problem(
                                                    ctx,
                                                    404,
                                                    "no such path: "
                                                            + ctx.path()
                                                            + " (the API is "
                                                            + api
                                                            + ")");
                                        }
                                    });
                            cfg.routes.exception(
                                    HttpProblem.class,
                                    (e, ctx) -> problem(ctx, e.status(), e.getMessage()));
                            cfg.routes.exception(
                                    CatalogProblem.class,
                                    (e, ctx) -> problem(ctx, status(e.kind()), e.getMessage()));
                            cfg.routes.exception(
                                    RequestProblem.class,
                                    (e, ctx) -> problem(ctx, status(e.kind()), e.getMessage()));
                            cfg.routes.exception(
                                    Exception.class,
                                    (e, ctx) -> {
                                        LOG.error("{} {} failed", ctx.method(), ctx.path(), e);
                                        problem(
                                                ctx,
                                                500,
                                                "internal error while handling the request; the endpoint's log has the details");
                                    });
                        });
        app.start();
        HeaderReadTimeout headerTimeout = new HeaderReadTimeout(HEADER_READ_LIMIT);
        for (Connector c : app.jettyServer().server().getConnectors()) {
            if (c instanceof AbstractConnector connector) {
                connector.setIdleTimeout(KEEP_ALIVE_IDLE.toMillis());
                connector.addEventListener(headerTimeout);
            }
        }
        return new InferenceServer(
                app, inFlight, settings.capture(), headerTimeout, catalog, metrics);
    }

    /**
     * An invocation's figures: by status and content type, and by model on a multi-model endpoint.
     */
    private static void count(Context ctx, float ms, ServerMetrics metrics) {
        String path = ctx.path();
        boolean single = path.equals("/invocations");
        boolean target = !single && path.startsWith("/models/") && path.endsWith("/invoke");
        if (!single && !target) {
            return;
        }
        metrics.invocation(
                ctx.statusCode(),
                InvocationHandler.contentTypeTag(ctx.header("Content-Type")),
                (long) (ms * 1e6));
        if (target && ctx.statusCode() != 404) {
            metrics.modelInvocation(ctx.pathParam("name"), ctx.statusCode());
        }
    }

    /** The models of a multi-model endpoint; {@code null} on an endpoint with one model. */
    public ModelCatalog catalog() {
        return catalog;
    }

    public int port() {
        return app.port();
    }

    /**
     * Waits for the requests being handled (up to {@link #DRAIN_LIMIT}), then stops and closes the
     * data capture.
     */
    public void stop() {
        try {
            if (!inFlight.awaitIdle(DRAIN_LIMIT)) {
                LOG.warn(
                        "stopping with {} requests still in flight after {} s",
                        inFlight.count(),
                        DRAIN_LIMIT.toSeconds());
            }
            // Error answers are written by Javalin just after a handler returns; give them a
            // moment.
            Thread.sleep(ERROR_WRITE_GRACE.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        app.stop();
        headerTimeout.close();
        if (catalog != null) {
            catalog.close();
        }
        // After the last request: what they captured is written before the process ends.
        capture.close();
        metrics.close();
    }

    /** 200 only once every member is loaded and warmed up; cheap, and never logged. */
    private static void ping(Context ctx, ModelHolder holder) {
        if (!holder.loaded()) {
            ctx.status(503).result("loading");
        } else {
            ctx.status(200);
        }
    }

    /** Batch transform asks this before sending records. */
    private static void executionParameters(Context ctx, ServerSettings settings) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("MaxConcurrentTransforms", settings.maxConcurrentTransforms());
        p.put("BatchStrategy", settings.batchStrategy());
        p.put("MaxPayloadInMB", settings.maxBodyBytes() / (1024 * 1024));
        ctx.json(p);
    }

    /** The one place a multi-model refusal becomes SageMaker's HTTP status. */
    static int status(CatalogProblem.Kind kind) {
        return switch (kind) {
            case UNKNOWN -> 404;
            case LOADED_ALREADY -> 409;
            case NO_ROOM -> 507;
            case BAD_MODEL -> 400;
            case RUNTIME -> 500;
        };
    }

    /** The one place a codec's kind of problem becomes an HTTP status. */
    static int status(RequestProblem.Kind kind) {
        return switch (kind) {
            case MALFORMED -> 400;
            case UNSUPPORTED_TYPE -> 415;
            case NOT_ACCEPTABLE -> 406;
            case TOO_LARGE -> 413;
        };
    }

    private static void metrics(Context ctx, ServerMetrics metrics) {
        ctx.status(200).contentType(ServerMetrics.CONTENT_TYPE).result(metrics.scrape());
    }

    /** Set on a request whose refusal has been written. */
    private static final String ANSWERED = "byoe.problem";

    private static void problem(Context ctx, int status, String message) {
        ctx.attribute(ANSWERED, Boolean.TRUE);
        if (status >= 500) {
            LOG.warn("{} {} -> {}: {}", ctx.method(), ctx.path(), status, message);
        } else {
            LOG.debug("{} {} -> {}: {}", ctx.method(), ctx.path(), status, message);
        }
        if (status == 503) {
            // Busy or loading: a well-behaved client backs off this long before retrying.
            ctx.header("Retry-After", "1");
        }
        ctx.status(status).contentType("application/json").result(ErrorBody.json(status, message));
    }
}
