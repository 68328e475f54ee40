/**
 * The XGBoost trainer: XGBoost4J's native training on a dense matrix, with out-of-fold category
 * values so that no training row's code was computed from its own label.
 */
package dev.byoe.training.xgboost;
