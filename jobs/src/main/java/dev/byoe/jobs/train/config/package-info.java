/**
 * The training job's hyperparameters, parsed from SageMaker's strings into a typed, validated spec.
 */
package dev.byoe.jobs.train.config;
