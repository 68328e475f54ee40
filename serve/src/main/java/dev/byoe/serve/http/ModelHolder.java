package dev.byoe.serve.http;

import dev.byoe.ensemble.EnsembleModel;
import dev.byoe.ensemble.anomaly.LogAnomalyModel;

/**
 * The served model once it is loaded and warmed up: a tabular ensemble or a log-anomaly model.
 * Until then the endpoint is not healthy.
 */
public final class ModelHolder {
    private volatile EnsembleModel model;
    private volatile LogAnomalyModel logModel;

    public void ready(EnsembleModel loaded) {
        this.model = loaded;
    }

    public void ready(LogAnomalyModel loaded) {
        this.logModel = loaded;
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
