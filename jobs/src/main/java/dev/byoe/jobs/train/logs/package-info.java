/**
 * The log-anomaly training job ({@code task=log_anomaly}): session files in, log members (PCA,
 * DeepLog) trained and evaluated, metric lines out, one model folder with the Drain state.
 */
package dev.byoe.jobs.train.logs;
