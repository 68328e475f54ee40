/**
 * Metric lines for SageMaker's log scraping and the MetricDefinitions that match them, built from
 * one table so the two cannot drift apart.
 */
package dev.byoe.jobs.train.metrics;
