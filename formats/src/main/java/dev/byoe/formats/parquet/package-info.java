/**
 * Parquet files as tables of text cells, read with Hardwood (no Hadoop): the training channels,
 * batch-transform bodies and monitor datasets all go through {@link
 * dev.byoe.formats.parquet.ParquetTable}.
 */
package dev.byoe.formats.parquet;
