/**
 * The input and output formats besides CSV and JSON that SageMaker users already have: Parquet
 * ({@link dev.byoe.formats.parquet}), libsvm text ({@link dev.byoe.formats.libsvm}) and
 * RecordIO-wrapped protobuf records ({@link dev.byoe.formats.recordio}). One reader per format,
 * shared by the training channels, the endpoint and the monitor; readers report a bad file or body
 * as a {@link dev.byoe.formats.FormatProblem} naming the file and the line, record or column, and
 * the caller turns it into a job failure or an HTTP status.
 */
package dev.byoe.formats;
