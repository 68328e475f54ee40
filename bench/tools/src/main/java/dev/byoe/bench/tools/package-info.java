/**
 * Benchmarks and the soak load generator run by {@code make bench} and {@code make soak}, kept out
 * of the product jar: {@code java -cp dist/byoe.jar:bench/tools/target/byoe-bench.jar ...}. They
 * read the full public data sets outside the project and say so when those are absent.
 */
package dev.byoe.bench.tools;
