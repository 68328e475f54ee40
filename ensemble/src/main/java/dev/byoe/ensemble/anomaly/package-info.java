/**
 * Log anomaly detection on sessions (ordered event ids from Drain): the session types, the detector
 * contract every log member implements, and the registry of log members.
 */
package dev.byoe.ensemble.anomaly;
