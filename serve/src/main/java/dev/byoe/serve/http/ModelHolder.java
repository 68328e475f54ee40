package dev.byoe.serve.http;

import dev.byoe.serve.models.ServedModel;

/**
 * The served model once it is loaded and warmed up (a tabular ensemble or a log-anomaly model).
 * Until then the endpoint is not healthy.
 */
public final class ModelHolder {
    private final long created = System.nanoTime();
    private volatile ServedModel model;
    private volatile double loadSeconds = Double.NaN;

    public void ready(ServedModel loaded) {
        this.model = loaded;
        loadSeconds = (System.nanoTime() - created) / 1e9;
    }

    /** The model, or {@code null} while it loads. */
    public ServedModel get() {
        return model;
    }

    /**
     * Seconds from this holder's creation (the server's start) to the model being ready; NaN
     * before.
     */
    public double loadSeconds() {
        return loadSeconds;
    }

    public boolean loaded() {
        return model != null;
    }
}
