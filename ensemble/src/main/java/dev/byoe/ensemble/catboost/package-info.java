/**
 * The CatBoost member. Training runs CatBoost's native command-line fit mode (from the
 * catboost-spark native library) in a child JVM, because that code calls {@code exit()} on bad
 * input and would otherwise kill the training job before it can write its failure file. Prediction
 * uses catboost-prediction in-process on the saved {@code .cbm} model.
 */
package dev.byoe.ensemble.catboost;
