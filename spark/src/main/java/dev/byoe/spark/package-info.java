/**
 * byoe's log processing as a Spark job for SageMaker's Spark processing container: Drain learned on
 * every partition at once and merged into one frozen parser, which then labels every line; sessions
 * are grouped across the cluster and written in the files {@code byoe process} writes.
 */
package dev.byoe.spark;
