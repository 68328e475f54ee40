/** The server's own figures for {@code GET /metrics} (Micrometer, Prometheus text format). */
package dev.byoe.serve.metrics;
