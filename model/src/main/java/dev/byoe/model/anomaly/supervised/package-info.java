/**
 * A tabular member as a log member: sessions become event-count rows and the member's P(anomaly) is
 * the score.
 */
package dev.byoe.model.anomaly.supervised;
