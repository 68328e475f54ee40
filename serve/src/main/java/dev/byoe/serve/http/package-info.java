/**
 * The HTTP server: routes ({@code /ping}, {@code /invocations}, {@code /execution-parameters}),
 * their handlers, settings read from SageMaker's environment variables, and the mapping of problems
 * to status codes. Bad input never becomes a 500 or a stack trace to the caller.
 */
package dev.byoe.serve.http;
