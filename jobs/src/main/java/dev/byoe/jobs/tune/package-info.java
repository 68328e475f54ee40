/**
 * {@code byoe tune}: SageMaker automatic model tuning on one machine. Reads the JSON that {@code
 * aws sagemaker create-hyper-parameter-tuning-job --cli-input-json} takes ({@link
 * dev.byoe.jobs.tune.TuningConfigReader}), validates it as SageMaker would, proposes
 * hyperparameters with a search strategy (Random, Bayesian with a Gaussian process, Grid,
 * Hyperband), runs each trial as a real {@code byoe train} child process in its own {@code /opt/ml}
 * folder, reads the objective from the trial's output with the user's regexes, and writes the
 * trials table, a chart, a DescribeHyperParameterTuningJob-shaped summary and the best model.
 */
package dev.byoe.jobs.tune;
