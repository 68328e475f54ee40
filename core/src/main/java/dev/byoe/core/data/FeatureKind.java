package dev.byoe.core.data;

/** How a feature's cells are read: as numbers, or as category names. */
public enum FeatureKind {
    NUMERIC,
    CATEGORICAL
}
