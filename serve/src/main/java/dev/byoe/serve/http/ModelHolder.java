package dev.byoe.serve.http;

import dev.byoe.ensemble.EnsembleModel;
import dev.byoe.ensemble.anomaly.LogAnomalyModel;

/**
 * The served model once it is loaded and warmed up: a tabular ensemble or a log-anomaly model.
 * Until then the endpoint is not healthy.
 */
public final class ModelHolder {
    private final long created = System.nanoTime();
    private volatile EnsembleModel model;
    private volatile LogAnomalyModel logModel;
    private volatile double loadSeconds = Double.NaN;

    public void ready(EnsembleModel loaded) {
        this.model = loaded;
        loadSeconds = (System.nanoTime() - created) / 1e9;
    }

    public void ready(LogAnomalyModel loaded) {
        this.logModel = loaded;
        loadSeconds = (System.nanoTime() - created) / 1e9;
    }

    /**
     * Seconds from this holder's creation (the server's start) to the model being ready; NaN
     * before.
     */
    public double loadSeconds() {
        return loadSeconds;
    }

    /** The tabular model, or {@code null} while loading or when a log model is served. */
    public EnsembleModel get() {
        return model;
    }

    /** The log-anomaly model, or {@code null}. */
    public LogAnomalyModel logs() {
        return logModel;
    }

    public boolean loaded() {
        return model != null || logModel != null;
    }
}
