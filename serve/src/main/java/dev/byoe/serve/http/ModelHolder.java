package dev.byoe.serve.http;

import dev.byoe.ensemble.EnsembleModel;

/** The served model once it is loaded and warmed up; until then the endpoint is not healthy. */
public final class ModelHolder {
    private volatile EnsembleModel model;

    public void ready(EnsembleModel loaded) {
        this.model = loaded;
    }

    /** The model, or {@code null} while loading. */
    public EnsembleModel get() {
        return model;
    }
}
