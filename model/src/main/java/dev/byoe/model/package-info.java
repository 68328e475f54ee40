/**
 * Trained models and their scoring, inference only: the tabular ensemble ({@link
 * dev.byoe.model.EnsembleModel}) that averages its members, native-library loading and per-member
 * timing. No training library (DL4J, Smile, catboost-spark) reaches this module; the build's
 * enforcer refuses one that does.
 */
package dev.byoe.model;
