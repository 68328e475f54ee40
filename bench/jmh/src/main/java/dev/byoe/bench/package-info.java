/**
 * JMH micro-benchmarks of the serving codecs (profile {@code jmh}, run by {@code make bench}); not
 * part of the product jar.
 */
package dev.byoe.bench;
