/**
 * PCA log anomaly detection (Xu et al., SOSP 2009, as in loglizer): event-count vectors, tf-idf and
 * zero-mean, the residual subspace of the principal components, and the Q-statistic (squared
 * prediction error) against a threshold.
 */
package dev.byoe.ensemble.anomaly.pca;
