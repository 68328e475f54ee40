/**
 * {@code byoe evaluate}: a processing job that scores a new model and the group's approved model on
 * the same held-out data and writes {@code evaluation.json}, the property file a pipeline's
 * condition reads.
 */
package dev.byoe.jobs.evaluate;
