/**
 * Request bodies to feature batches and predictions to response bodies, per media type ({@code
 * text/csv}, {@code application/json}, {@code application/jsonlines}), plus the Content-Type and
 * Accept parsing that chooses them. Bad input becomes an {@link
 * dev.byoe.serve.codec.RequestProblem} naming the row and column.
 */
package dev.byoe.serve.codec;
