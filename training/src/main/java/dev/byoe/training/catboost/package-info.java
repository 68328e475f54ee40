/**
 * The CatBoost trainer. It runs CatBoost's native command-line fit mode (from the catboost-spark
 * native library) in a child JVM, because that code calls {@code exit()} on bad input and would
 * otherwise end the training job before it could write its failure file.
 */
package dev.byoe.training.catboost;
