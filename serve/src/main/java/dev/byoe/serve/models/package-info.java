/**
 * The models a server holds: loading one from its folder ({@link
 * dev.byoe.serve.models.ModelLoader}), and the catalog of a multi-model endpoint ({@link
 * dev.byoe.serve.models.ModelCatalog}): each model's memory measured at load (heap by walking its
 * objects, native by the C allocator's count), a budget, least-recently-used unloading, and leases
 * that let an unload wait for the invocations using the model.
 */
package dev.byoe.serve.models;
