/**
 * Training log members: the log-member contract and registry, labelled sessions, the trainer of the
 * calibrated, weighted log ensemble, and detection metrics.
 */
package dev.byoe.training.anomaly;
