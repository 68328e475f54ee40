package dev.byoe.jobs.monitor;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Statistics of every column of a dataset, built row by row. Rows come positional (CSV, JSON
 * arrays) or named (JSON objects); positional cells take the names the reader gives, else {@code
 * _c0, _c1, ...} as SageMaker names headerless columns.
 */
final class DatasetProfile {
    private final Map<String, FeatureProfile> features = new LinkedHashMap<>();
    private final Set<String> excluded;
    private long items;

    DatasetProfile(Set<String> excluded) {
        this.excluded = excluded;
    }

    void positional(List<String> cells, List<String> names) {
        items++;
        for (int i = 0; i < cells.size(); i++) {
            add(i < names.size() ? names.get(i) : "_c" + i, cells.get(i));
        }
    }

    void named(Map<String, String> cells) {
        items++;
        cells.forEach(this::add);
    }

    private void add(String name, String cell) {
        if (excluded.contains(name)) {
            return;
        }
        // A column first seen in a later row still counts earlier rows as missing: missing = items
        // - present.
        features.computeIfAbsent(name, FeatureProfile::new).add(cell);
    }

    long items() {
        return items;
    }

    Collection<FeatureProfile> features() {
        return features.values();
    }

    FeatureProfile feature(String name) {
        return features.get(name);
    }

    List<String> names() {
        return new ArrayList<>(features.keySet());
    }
}
