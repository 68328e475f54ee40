/**
 * Benchmarks run by {@code make bench} from the jar ({@code java -cp dist/byoe.jar ...}); they read
 * the full public data sets outside the project and say so when those are absent.
 */
package dev.byoe.app.bench;
