package dev.byoe.ensemble.data;

/** How a feature's cells are read: as numbers, or as category names. */
public enum FeatureKind {
    NUMERIC,
    CATEGORICAL
}
