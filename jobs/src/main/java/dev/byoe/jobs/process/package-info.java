/**
 * {@code byoe process}: the SageMaker processing job that turns raw logs into Drain events,
 * templates and per-session event sequences and counts, ready for training.
 */
package dev.byoe.jobs.process;
