/**
 * Raw log lines to events and sessions, shared by both processing routes ({@code byoe process} in
 * one JVM, the Spark job in {@code dev.byoe.spark}): the header/content split of a {@link
 * dev.byoe.logs.LogFormat}, regex masking, the Drain parser (He et al., ICWS 2017) whose frozen
 * state is saved with a model so that serving parses new lines exactly as processing did, the
 * grouping accuracy it is judged by, the options of processing, the session rule and the files a
 * processing job writes. Compiled for Java 17, the JVM of SageMaker's Spark container.
 */
package dev.byoe.logs;
