/**
 * The serving side: {@code byoe serve} as a SageMaker inference container (real-time, serverless,
 * batch transform). {@link dev.byoe.serve.ServeCommand} loads {@code /opt/ml/model} once and starts
 * the HTTP server.
 */
package dev.byoe.serve;
