/**
 * {@code byoe monitor baseline|analyze}: the Model Monitor bring-your-own-container processing job.
 * Profiles a dataset (training rows, or what an endpoint captured) into SageMaker's {@code
 * statistics.json} with KLL sketches, suggests {@code constraints.json}, and checks current data
 * against a baseline into {@code constraint_violations.json}, CloudWatch metric records and a
 * one-file HTML report.
 */
package dev.byoe.jobs.monitor;
