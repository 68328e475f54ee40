package dev.byoe.serve.http;

import dev.byoe.serve.models.CatalogEntry;
import dev.byoe.serve.models.ServedModel;

/**
 * The model one invocation uses, held until its answer is written: the endpoint's one model, or a
 * model of a multi-model endpoint, which cannot be unloaded while a lease on it is held.
 *
 * @param name the multi-model endpoint's name of the model; {@code null} for the one model
 */
record ModelLease(ServedModel model, String name, CatalogEntry entry) {
    static ModelLease of(ServedModel model) {
        return new ModelLease(model, null, null);
    }

    static ModelLease of(CatalogEntry entry) {
        return new ModelLease(entry.served(), entry.name(), entry);
    }

    void release() {
        if (entry != null) {
            entry.release();
        }
    }
}
