package dev.byoe.serve.models;

/**
 * Why the catalog refused a request; the HTTP layer turns each kind into SageMaker's status code.
 */
public final class CatalogProblem extends RuntimeException {
    /** The kinds of refusal of the multi-model API. */
    public enum Kind {
        /** No model of that name is loaded. */
        UNKNOWN,
        /** A model of that name is loaded already. */
        LOADED_ALREADY,
        /** The model does not fit in the memory left, even after unloading idle models. */
        NO_ROOM,
        /** The request or the folder it names is not a model byoe can load. */
        BAD_MODEL,
        /** The model's folder is fine but the runtime could not load it (a native library). */
        RUNTIME
    }

    private final Kind kind;

    public CatalogProblem(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
