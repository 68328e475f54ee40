/**
 * Fitting the PCA detector: tf-idf weighting, centring, Smile's eigen-decomposition and the
 * Q-statistic threshold.
 */
package dev.byoe.training.anomaly.pca;
