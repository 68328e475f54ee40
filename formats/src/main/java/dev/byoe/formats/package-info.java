/**
 * The input and output formats besides CSV and JSON that SageMaker users already have: libsvm text
 * ({@link dev.byoe.formats.libsvm}) and RecordIO-wrapped protobuf records ({@link
 * dev.byoe.formats.recordio}). One reader per format, shared by the training channels and the
 * endpoint; readers report a bad file or body as a {@link dev.byoe.formats.FormatProblem} naming
 * the line or record, and the caller turns it into a job failure or an HTTP status.
 */
package dev.byoe.formats;
