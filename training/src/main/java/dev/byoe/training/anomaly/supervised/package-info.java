/**
 * Training a tabular member (XGBoost, CatBoost) on per-session event counts against the anomaly
 * labels.
 */
package dev.byoe.training.anomaly.supervised;
