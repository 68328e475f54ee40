/**
 * The model artifact's manifest: which members there are and with what weights, the feature schema
 * and target, the hyperparameters, metrics and the data the model was trained on. It is plain JSON;
 * member files sit beside it in their libraries' own formats, and {@code checksums.sha256} lists
 * every file's digest so that a damaged artifact is refused. Artifacts are data only (JSON, XGBoost
 * UBJ, CatBoost cbm, zipped DL4J arrays): nothing in them is Java-serialized or executed when a
 * model is loaded.
 */
package dev.byoe.ensemble.artifact;
