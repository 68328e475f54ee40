/**
 * Tabular data as members see it: a {@link dev.byoe.ensemble.data.FeatureSchema} fixed at training
 * time, row batches of numeric and categorical cells, labelled datasets, and the CSV record reader
 * shared by the training and serving sides.
 */
package dev.byoe.ensemble.data;
