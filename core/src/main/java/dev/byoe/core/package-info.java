/**
 * Plain building blocks every other module shares: one Jackson configuration ({@link
 * dev.byoe.core.Json}) and the build's version. Depends on no byoe module and on no
 * machine-learning library, and is compiled for Java 17 because the Spark job carries it into
 * Spark's JVM.
 */
package dev.byoe.core;
