package dev.byoe.serve;

import dev.byoe.core.Version;
import dev.byoe.core.data.FeatureBatch;
import dev.byoe.core.data.FeatureSchema;
import dev.byoe.model.EnsembleModel;
import dev.byoe.model.anomaly.LogAnomalyModel;
import dev.byoe.model.anomaly.SessionBatch;
import dev.byoe.serve.codec.Format;
import dev.byoe.serve.codec.Formats;
import dev.byoe.serve.http.InferenceServer;
import dev.byoe.serve.http.ModelHolder;
import dev.byoe.serve.http.ServedModel;
import dev.byoe.serve.http.ServerSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import sun.misc.Signal;

/**
 * {@code byoe serve}: starts the HTTP server at once (so {@code /ping} answers 503 while loading),
 * loads and warms up the model, then reports healthy. A model that cannot be loaded ends the
 * process with the reason in the log instead of serving part of an ensemble. SIGTERM (endpoint
 * scale-in, {@code docker stop}) lets requests in flight finish, then exits 0.
 */
@Command(
        name = "serve",
        description = {
            "Serves $BYOE_ML_ROOT/model (else /opt/ml/model) on $SAGEMAKER_BIND_TO_PORT (else 8080):"
                    + " /ping, /invocations, /execution-parameters, /metrics.",
            "Settings come from SageMaker's environment variables; README lists them."
        })
public final class ServeCommand implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger(ServeCommand.class);

    /** A server that is up and serving its model; {@link #swap} replaces the model. */
    public static final class Running implements AutoCloseable {
        private final InferenceServer server;
        private final ModelHolder holder;
        private final Duration deadline;
        private AutoCloseable model;

        Running(InferenceServer server, ModelHolder holder, Duration deadline, Loaded loaded) {
            this.server = server;
            this.holder = holder;
            this.deadline = deadline;
            this.model = loaded.model();
        }

        public int port() {
            return server.port();
        }

        /**
         * Serves {@code next} from the next request on; requests already holding the old model
         * finish with it, and it is closed once the longest of them (the request deadline) is over.
         */
        public synchronized void swap(Loaded next) {
            AutoCloseable old = model;
            holder.ready(next.served());
            model = next.model();
            Thread.ofVirtual()
                    .name("byoe-retire-model")
                    .start(
                            () -> {
                                try {
                                    Thread.sleep(deadline.plusSeconds(1));
                                } catch (InterruptedException e) {
                                    Thread.currentThread().interrupt();
                                }
                                closeQuietly(old);
                            });
        }

        @Override
        public synchronized void close() {
            server.stop();
            closeQuietly(model);
        }

        private static void closeQuietly(AutoCloseable model) {
            try {
                model.close();
            } catch (Exception e) {
                LOG.warn("closing the model: {}", e.toString());
            }
        }
    }

    /** A loaded, warmed-up model: what requests use, what to close, and a line for the log. */
    public record Loaded(ServedModel served, AutoCloseable model, String description) {}

    @Override
    public Integer call() throws InterruptedException {
        return run(System.getenv());
    }

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
     * Starts serving the model named by {@code env}; returns once it is healthy.
     *
     * @throws IllegalArgumentException for a bad setting
     * @throws IllegalStateException when the model cannot be loaded (the server is stopped again)
     */
    public static Running start(Map<String, String> env) {
        ServerSettings settings = ServerSettings.fromEnvironment(env);
        long start = System.nanoTime();
        ModelHolder holder = new ModelHolder();
        InferenceServer server = InferenceServer.start(settings, holder);
        Loaded loaded;
        try {
            loaded = load(settings.modelDir());
        } catch (IllegalStateException e) {
            server.stop();
            throw e;
        }
        holder.ready(loaded.served());
        LOG.info(
                "byoe {} serving {} ({}) on port {}, ready in {} ms",
                Version.get(),
                settings.modelDir(),
                loaded.description(),
                server.port(),
                (System.nanoTime() - start) / 1_000_000);
        return new Running(server, holder, settings.deadline(), loaded);
    }

    /**
     * Loads and warms up the model in {@code dir} (a tabular ensemble or a log anomaly model).
     *
     * @throws IllegalStateException when it cannot be loaded
     */
    public static Loaded load(Path dir) {
        try {
            if (LogAnomalyModel.isLogModel(dir)) {
                LogAnomalyModel model = LogAnomalyModel.load(dir);
                // First-call costs (JIT, class loading) before /ping says healthy.
                var r = model.score(new SessionBatch(List.of("warm-up"), new int[][] {{1, 2, 3}}));
                for (Format f : Formats.all()) {
                    f.encodeSessions(r);
                }
                return new Loaded(
                        new ServedModel.Logs(model),
                        model,
                        "log anomaly; members "
                                + model.memberNames()
                                + "; raw log lines "
                                + (model.acceptsRawLines() ? "accepted" : "not accepted"));
            }
            EnsembleModel model = EnsembleModel.load(dir);
            warmUp(model);
            return new Loaded(
                    new ServedModel.Tabular(model),
                    model,
                    model.target().objective().id() + "; members " + model.memberNames());
        } catch (Exception | LinkageError e) {
            // LinkageError: a native library that cannot be loaded must stop the server, not leave
            // it unhealthy.
            throw new IllegalStateException("cannot load the model in " + dir + ": " + e, e);
        }
    }

    /**
     * One prediction and one encoding per format, so the first real request pays no first-call
     * costs.
     */
    private static void warmUp(EnsembleModel model) throws Exception {
        FeatureSchema schema = model.schema();
        float[] num = new float[schema.numericCount()];
        Arrays.fill(num, Float.NaN);
        FeatureBatch batch =
                new FeatureBatch(schema, 1, num, new String[schema.categoricalCount()]);
        EnsembleModel.Prediction p = model.predict(batch);
        for (Format f : Formats.all()) {
            f.encodeRows(p, model.target(), true);
        }
    }
}
