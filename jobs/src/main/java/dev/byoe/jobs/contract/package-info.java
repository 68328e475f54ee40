/**
 * The SageMaker training container contract: paths under {@code /opt/ml}, its JSON configs, the
 * failure file.
 */
package dev.byoe.jobs.contract;
