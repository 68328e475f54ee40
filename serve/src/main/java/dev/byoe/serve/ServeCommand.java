package dev.byoe.serve;

import dev.byoe.core.Version;
import dev.byoe.serve.http.InferenceServer;
import dev.byoe.serve.http.ModelHolder;
import dev.byoe.serve.http.ServerSettings;
import dev.byoe.serve.models.Footprint;
import dev.byoe.serve.models.LoadedModel;
import dev.byoe.serve.models.MemoryBudget;
import dev.byoe.serve.models.ModelLoader;
import dev.byoe.serve.models.ServedModel;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import sun.misc.Signal;

/**
 * {@code byoe serve}: starts the HTTP server at once (so {@code /ping} answers 503 while loading),
 * loads and warms up the model, then reports healthy. A model that cannot be loaded ends the
 * process with the reason in the log instead of serving part of an ensemble. SIGTERM (endpoint
 * scale-in, {@code docker stop}) lets requests in flight finish, then exits 0. With {@code
 * --multi-model} (or SageMaker's {@code SAGEMAKER_MULTI_MODEL=true}) it serves a multi-model
 * endpoint instead: models come and go through the model-management API.
 */
@Command(
        name = ServeCommand.NAME,
        description = {
            "Serves $BYOE_ML_ROOT/model (else /opt/ml/model) on $SAGEMAKER_BIND_TO_PORT (else 8080):"
                    + " /ping, /invocations, /execution-parameters, /metrics.",
            "With --multi-model or SAGEMAKER_MULTI_MODEL=true: a multi-model endpoint (POST/GET"
                    + " /models, GET/DELETE /models/{name}, POST /models/{name}/invoke).",
            "Settings come from SageMaker's environment variables; README lists them."
        })
public final class ServeCommand implements Callable<Integer> {
    /** The argument SageMaker starts an inference container with. */
    public static final String NAME = "serve";

    private static final Logger LOG = LoggerFactory.getLogger(ServeCommand.class);

    @Option(
            names = "--multi-model",
            description =
                    "serve a multi-model endpoint (as SAGEMAKER_MULTI_MODEL=true): models are"
                            + " loaded and unloaded through the /models API")
    boolean multiModel;

    /** A server that is up and serving; {@link #swap} replaces the model of a one-model server. */
    public static final class Running implements AutoCloseable {
        private final InferenceServer server;
        private final ModelHolder holder;
        private final Duration deadline;
        private LoadedModel model;

        Running(InferenceServer server, ModelHolder holder, Duration deadline, LoadedModel loaded) {
            this.server = server;
            this.holder = holder;
            this.deadline = deadline;
            this.model = loaded;
        }

        public int port() {
            return server.port();
        }

        /**
         * Serves {@code next} from the next request on; requests already holding the old model
         * finish with it, and it is closed once the longest of them (the request deadline) is over.
         */
        public synchronized void swap(LoadedModel next) {
            if (holder == null) {
                throw new IllegalStateException("a multi-model endpoint has no one model to swap");
            }
            LoadedModel old = model;
            holder.ready(next.served());
            model = next;
            Thread.ofVirtual()
                    .name("byoe-retire-model")
                    .start(
                            () -> {
                                try {
                                    Thread.sleep(deadline.plusSeconds(1));
                                } catch (InterruptedException e) {
                                    Thread.currentThread().interrupt();
                                }
                                old.close();
                            });
        }

        @Override
        public synchronized void close() {
            server.stop();
            if (model != null) {
                model.close();
            }
        }
    }

    @Override
    public Integer call() throws InterruptedException {
        Map<String, String> env = new HashMap<>(System.getenv());
        if (multiModel) {
            env.put(MULTI_MODEL, "true");
        }
        return run(env);
    }

    /** SageMaker sets it on a container of a model created with {@code Mode: MultiModel}. */
    public static final String MULTI_MODEL = "SAGEMAKER_MULTI_MODEL";

    public static int run(Map<String, String> env) throws InterruptedException {
        Running running;
        try {
            running = start(env);
        } catch (IllegalArgumentException | IllegalStateException e) {
            LOG.error("cannot serve: {}", e.getMessage());
            return e instanceof IllegalArgumentException ? 2 : 1;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Signal.handle(
                new Signal("TERM"),
                signal -> {
                    LOG.info("SIGTERM: finishing requests in flight, then exiting");
                    running.close();
                    stopped.countDown();
                });
        Signal.handle(
                new Signal("INT"),
                signal -> {
                    running.close();
                    stopped.countDown();
                });
        stopped.await();
        LOG.info("stopped");
        return 0;
    }

    /**
     * Starts serving the model named by {@code env} (or, with {@code SAGEMAKER_MULTI_MODEL=true},
     * an empty multi-model endpoint); returns once it is healthy.
     *
     * @throws IllegalArgumentException for a bad setting
     * @throws IllegalStateException when the model cannot be loaded (the server is stopped again)
     */
    public static Running start(Map<String, String> env) {
        ServerSettings settings = ServerSettings.fromEnvironment(env);
        if ("true".equalsIgnoreCase(env.getOrDefault(MULTI_MODEL, "false").strip())) {
            MemoryBudget budget = MemoryBudget.fromEnvironment(env);
            InferenceServer server = InferenceServer.startMultiModel(settings, budget);
            LOG.info(
                    "byoe {} serving a multi-model endpoint on port {}; models may hold {} ({}),"
                            + " their heap parts {}",
                    Version.get(),
                    server.port(),
                    Footprint.megabytes(budget.bytes()),
                    budget.source(),
                    Footprint.megabytes(budget.heapBytes()));
            return new Running(server, null, settings.deadline(), null);
        }
        long start = System.nanoTime();
        ModelHolder holder = new ModelHolder();
        InferenceServer server = InferenceServer.start(settings, holder);
        LoadedModel loaded;
        try {
            loaded = ModelLoader.load(settings.modelDir());
        } catch (IllegalStateException e) {
            server.stop();
            throw e;
        }
        if (settings.selectedOutput() != null) {
            String problem =
                    settings.selectedOutput().problem(loaded.served().objective().orElse(null));
            if (problem != null) {
                server.stop();
                throw new IllegalArgumentException(problem);
            }
        }
        if (settings.selectedInput() != null) {
            String problem =
                    settings.selectedInput()
                            .problem(
                                    loaded.served() instanceof ServedModel.Tabular t
                                            ? t.model().schema()
                                            : null);
            if (problem != null) {
                server.stop();
                throw new IllegalArgumentException(problem);
            }
        }
        holder.ready(loaded.served());
        LOG.info(
                "byoe {} serving {} ({}) on port {}, ready in {} ms ({} ms after the JVM started)",
                Version.get(),
                settings.modelDir(),
                loaded.description(),
                server.port(),
                (System.nanoTime() - start) / 1_000_000,
                ManagementFactory.getRuntimeMXBean().getUptime());
        return new Running(server, holder, settings.deadline(), loaded);
    }
}
