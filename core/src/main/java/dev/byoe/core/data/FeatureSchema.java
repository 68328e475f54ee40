package dev.byoe.core.data;

import java.util.ArrayList;
import java.util.List;

/**
 * The ordered feature columns a model was trained on. Numeric and categorical cells are kept in
 * separate row-major arrays (see {@link FeatureBatch}); this class maps a feature's position to its
 * slot in the array of its kind, and says which sparse (libsvm) index addresses the first feature.
 */
public final class FeatureSchema {
    /** libsvm's own convention, and the one a headerless CSV file with the label first matches. */
    public static final int DEFAULT_SPARSE_INDEX_BASE = 1;

    private final List<Feature> features;
    private final int sparseIndexBase;
    private final int[] slot;
    private final int numericCount;
    private final int categoricalCount;

    public FeatureSchema(List<Feature> features) {
        this(features, DEFAULT_SPARSE_INDEX_BASE);
    }

    /** {@code sparseIndexBase}: the sparse index of feature 0 (0 or 1). */
    public FeatureSchema(List<Feature> features, int sparseIndexBase) {
        if (sparseIndexBase != 0 && sparseIndexBase != 1) {
            throw new IllegalArgumentException(
                    "a sparse index base is 0 or 1, not " + sparseIndexBase);
        }
        this.sparseIndexBase = sparseIndexBase;
        this.features = List.copyOf(features);
        this.slot = new int[features.size()];
        int numeric = 0;
        int categorical = 0;
        for (int i = 0; i < features.size(); i++) {
            slot[i] = features.get(i).kind() == FeatureKind.NUMERIC ? numeric++ : categorical++;
        }
        this.numericCount = numeric;
        this.categoricalCount = categorical;
    }

    public List<Feature> features() {
        return features;
    }

    /** The sparse (libsvm) index of feature 0: feature {@code i} is index {@code i + base}. */
    public int sparseIndexBase() {
        return sparseIndexBase;
    }

    public int size() {
        return features.size();
    }

    public Feature feature(int index) {
        return features.get(index);
    }

    /** Position of {@code index} among the features of its own kind. */
    public int slot(int index) {
        return slot[index];
    }

    public int numericCount() {
        return numericCount;
    }

    public int categoricalCount() {
        return categoricalCount;
    }

    public int indexOf(String name) {
        for (int i = 0; i < features.size(); i++) {
            if (features.get(i).name().equals(name)) {
                return i;
            }
        }
        return -1;
    }

    public List<String> names() {
        List<String> names = new ArrayList<>(features.size());
        for (Feature f : features) {
            names.add(f.name());
        }
        return names;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FeatureSchema other && other.features.equals(features);
    }

    @Override
    public int hashCode() {
        return features.hashCode();
    }

    @Override
    public String toString() {
        return features.toString();
    }
}
