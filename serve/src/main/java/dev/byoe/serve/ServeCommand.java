package dev.byoe.serve;

import dev.byoe.ensemble.EnsembleModel;
import dev.byoe.ensemble.Version;
import dev.byoe.ensemble.data.FeatureBatch;
import dev.byoe.ensemble.data.FeatureSchema;
import dev.byoe.serve.codec.Format;
import dev.byoe.serve.codec.ResponseEncoder;
import dev.byoe.serve.http.InferenceServer;
import dev.byoe.serve.http.ModelHolder;
import dev.byoe.serve.http.ServerSettings;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code byoe serve}: starts the HTTP server at once (so {@code /ping} answers 503 while loading),
 * loads and warms up the model, then reports healthy. A model that cannot be loaded ends the
 * process with the reason in the log instead of serving part of an ensemble.
 */
public final class ServeCommand {
    private static final Logger LOG = LoggerFactory.getLogger(ServeCommand.class);

    private ServeCommand() {
    }

    public static int run(Map<String, String> env) throws InterruptedException {
        ServerSettings settings;
        try {
            settings = ServerSettings.fromEnvironment(env);
        } catch (IllegalArgumentException e) {
            LOG.error("cannot start: {}", e.getMessage());
            return 2;
        }
        long start = System.nanoTime();
        ModelHolder holder = new ModelHolder();
        InferenceServer server = InferenceServer.start(settings, holder);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            LOG.info("stopping: finishing requests in flight");
            server.stop();
            stopped.countDown();
        }, "byoe-serve-stop"));
        EnsembleModel model;
        try {
            model = EnsembleModel.load(settings.modelDir());
            warmUp(model);
        } catch (Exception e) {
            LOG.error("cannot serve the model in {}: {}", settings.modelDir(), e.getMessage());
            server.stop();
            return 1;
        }
        holder.ready(model);
        LOG.info("byoe {} serving {} ({}; members {}) on port {}, ready in {} ms", Version.get(), settings.modelDir(),
                model.target().objective().id(), model.memberNames(), server.port(), (System.nanoTime() - start) / 1_000_000);
        stopped.await();
        return 0;
    }

    /** One prediction and one encoding per format, so the first real request pays no first-call costs. */
    private static void warmUp(EnsembleModel model) throws Exception {
        FeatureSchema schema = model.schema();
        float[] num = new float[schema.numericCount()];
        Arrays.fill(num, Float.NaN);
        FeatureBatch batch = new FeatureBatch(schema, 1, num, new String[schema.categoricalCount()]);
        EnsembleModel.Prediction p = model.predict(batch);
        for (Format f : Format.values()) {
            ResponseEncoder.encode(f, p, model.target(), true);
        }
    }
}
