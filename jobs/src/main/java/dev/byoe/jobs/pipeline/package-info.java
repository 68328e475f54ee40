/**
 * SageMaker Pipelines on this machine: a pipeline definition (schema 2020-12-01) read and checked
 * ({@link dev.byoe.jobs.pipeline.DefinitionReader}), its expressions ({@link
 * dev.byoe.jobs.pipeline.Expressions}) and conditions ({@link dev.byoe.jobs.pipeline.Conditions}),
 * steps run as real byoe jobs in their own {@code /opt/ml} folders ({@link
 * dev.byoe.jobs.pipeline.steps}), with a folder standing in for S3 ({@link
 * dev.byoe.jobs.pipeline.LocalS3}), and an execution record shaped like SageMaker's answers ({@link
 * dev.byoe.jobs.pipeline.ExecutionRecord}).
 */
package dev.byoe.jobs.pipeline;
