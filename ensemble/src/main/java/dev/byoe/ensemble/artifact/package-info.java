/**
 * The model artifact's manifest: which members there are and with what weights, the feature
 * schema and target, the hyperparameters, metrics and the data the model was trained on. It is
 * plain JSON; member files sit beside it in their libraries' own formats.
 */
package dev.byoe.ensemble.artifact;
