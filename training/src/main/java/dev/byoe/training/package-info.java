/**
 * Training: the {@link dev.byoe.training.EnsembleTrainer} that fits every member on k folds (or a
 * validation channel), weights them by their out-of-fold scores and returns an immutable model with
 * its provenance. The only module that holds DL4J, Smile and catboost-spark.
 */
package dev.byoe.training;
