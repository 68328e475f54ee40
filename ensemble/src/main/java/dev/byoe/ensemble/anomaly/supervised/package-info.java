/**
 * Supervised log members: a tabular member (XGBoost, CatBoost) trained on per-session event-count
 * vectors against the anomaly labels, answering P(anomaly).
 */
package dev.byoe.ensemble.anomaly.supervised;
