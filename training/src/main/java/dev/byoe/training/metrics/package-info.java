/** Evaluation metrics per objective and the cross-validation folds they are computed on. */
package dev.byoe.training.metrics;
