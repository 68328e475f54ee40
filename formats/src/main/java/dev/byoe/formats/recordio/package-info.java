/**
 * {@code application/x-recordio-protobuf}: SageMaker's RecordIO framing (a magic number, a length
 * with a continuation flag, the payload padded to 4 bytes) around {@code aialgs.data.Record}
 * protobuf messages, the format of the built-in algorithms and of Pipe mode with {@code
 * RecordWrapperType: RecordIO}. Tabular rows are the {@code values} entry of a record's features
 * and label.
 */
package dev.byoe.formats.recordio;
