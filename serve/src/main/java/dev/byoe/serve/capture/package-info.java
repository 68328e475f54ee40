/**
 * Data capture inside the server: a sample of requests and answers written as SageMaker's capture
 * JSON Lines to a local folder, in the background, for {@code byoe monitor analyze} where the
 * platform's own capture is unavailable (serverless endpoints).
 */
package dev.byoe.serve.capture;
