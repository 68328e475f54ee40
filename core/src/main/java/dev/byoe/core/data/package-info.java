/**
 * Tabular data as members see it: a {@link dev.byoe.core.data.FeatureSchema} fixed at training
 * time, row batches of numeric and categorical cells, labelled datasets, missing-value rules and
 * the CSV reading and writing shared by training, serving and monitoring.
 */
package dev.byoe.core.data;
