/**
 * A local model registry shaped like SageMaker's: model package groups holding numbered model
 * packages (artifact, metrics, hyperparameters, image, content types) with an approval status,
 * stored as plain files ({@code <registry>/<group>/<version>/model-package.json} and {@code
 * model.tar.gz}), and the {@code byoe registry} command over it.
 */
package dev.byoe.jobs.registry;
