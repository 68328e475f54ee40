package dev.byoe.serve.models;

import dev.byoe.core.data.FeatureBatch;
import dev.byoe.core.data.FeatureSchema;
import dev.byoe.model.EnsembleModel;
import dev.byoe.model.anomaly.LogAnomalyModel;
import dev.byoe.model.anomaly.SessionBatch;
import dev.byoe.serve.codec.Format;
import dev.byoe.serve.codec.Formats;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Loads a byoe model folder (a tabular ensemble or a log anomaly model) and warms it up. */
public final class ModelLoader {
    private static final Logger LOG = LoggerFactory.getLogger(ModelLoader.class);

    private ModelLoader() {}

    /**
     * Loads and warms up the model in {@code dir}; checksums are verified before any member is
     * loaded.
     *
     * @throws IllegalStateException when it cannot be loaded; a {@link LinkageError} cause means a
     *     native library failed, not the model
     */
    public static LoadedModel load(Path dir) {
        try {
            if (LogAnomalyModel.isLogModel(dir)) {
                LogAnomalyModel model = LogAnomalyModel.load(dir);
                // First-call costs (JIT, class loading) before the model is called ready.
                var r = model.score(new SessionBatch(List.of("warm-up"), new int[][] {{1, 2, 3}}));
                warmFormatsAside(f -> f.encodeSessions(r));
                StringBuilder description =
                        new StringBuilder("log anomaly; members ").append(model.memberNames());
                model.engines().forEach(e -> description.append("; ").append(e));
                description
                        .append("; raw log lines ")
                        .append(model.acceptsRawLines() ? "accepted" : "not accepted");
                return new LoadedModel(new ServedModel.Logs(model), model, description.toString());
            }
            EnsembleModel model = EnsembleModel.load(dir);
            model.predictOnly();
            warmUp(model);
            return new LoadedModel(
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
     * One prediction, then one encoding per format, so the first real request pays no first-call
     * costs.
     */
    private static void warmUp(EnsembleModel model) throws Exception {
        FeatureSchema schema = model.schema();
        float[] num = new float[schema.numericCount()];
        Arrays.fill(num, Float.NaN);
        FeatureBatch batch =
                new FeatureBatch(schema, 1, num, new String[schema.categoricalCount()]);
        EnsembleModel.Prediction p = model.predict(batch);
        warmFormatsAside(f -> f.encodeRows(p, model.target(), true));
    }

    /** A format's warm-up encoding. */
    private interface Encoding {
        void encode(Format format) throws Exception;
    }

    /**
     * Encodes a warm-up answer in every format on a thread of its own, so the model is reported
     * healthy without waiting for it: the formats' first-call costs are class loading, mostly
     * protobuf's descriptors for RecordIO (15-20 ms of a cold start on two cores), and a request
     * that needs a format before it is warm waits for the same class initialisation, as any first
     * call would, and is answered alike.
     */
    private static void warmFormatsAside(Encoding encoding) {
        Thread.ofPlatform()
                .daemon()
                .name("byoe-format-warm-up")
                .start(
                        () -> {
                            for (Format f : Formats.all()) {
                                try {
                                    encoding.encode(f);
                                } catch (Exception | LinkageError e) {
                                    LOG.warn(
                                            "warming up {} failed: {}",
                                            f.mediaType(),
                                            e.toString());
                                }
                            }
                        });
    }
}
