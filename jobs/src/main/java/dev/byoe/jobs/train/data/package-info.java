/**
 * Training data from SageMaker channels: files in File/FastFile mode or the Pipe-mode FIFO, gzipped
 * or not, read once as CSV into a {@link dev.byoe.core.data.Dataset}, with every file's digest kept
 * for the model's provenance.
 */
package dev.byoe.jobs.train.data;
