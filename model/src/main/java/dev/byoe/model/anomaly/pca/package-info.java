/**
 * PCA log anomaly scoring (Xu et al., SOSP 2009, as in loglizer): the squared distance of a
 * session's weighted, centred event counts from the kept principal subspace against the Q-statistic
 * threshold. The training module fits it.
 */
package dev.byoe.model.anomaly.pca;
