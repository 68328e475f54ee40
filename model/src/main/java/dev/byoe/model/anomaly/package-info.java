/**
 * Log anomaly scoring on sessions (ordered event ids from Drain): the session batch, the detector
 * contract every log member implements, calibration of raw scores to probabilities, the formats
 * that load saved detectors, and the averaged {@link dev.byoe.model.anomaly.LogAnomalyModel}.
 */
package dev.byoe.model.anomaly;
