/**
 * {@code byoe train} as a SageMaker training job ({@link dev.byoe.jobs.train.TrainingJob}) and
 * {@code byoe metric-definitions}: reads the job's {@code /opt/ml} layout, trains with the training
 * module, prints metric lines for tuners and writes the model artifact.
 */
package dev.byoe.jobs.train;
