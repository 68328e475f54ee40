/**
 * The model artifact's manifest: which members there are and with what weights, the feature schema
 * and target, the hyperparameters, metrics and the data the model was trained on. It is plain JSON;
 * member files sit beside it in their libraries' own formats, and {@code checksums.sha256} and
 * {@code checksums.crc32c} list every file's digests so that a damaged artifact is refused. Nothing
 * in an artifact is Java-serialized or executed when a model is loaded.
 */
package dev.byoe.model.artifact;
