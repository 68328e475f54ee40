/**
 * The training side: {@code byoe train} as a SageMaker training job ({@link
 * dev.byoe.train.TrainCommand}) and {@code byoe metric-definitions}. Reads the job's {@code
 * /opt/ml} layout, trains the ensemble with the {@code ensemble} module, prints metric lines for
 * tuners and writes the model artifact.
 */
package dev.byoe.train;
