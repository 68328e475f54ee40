package dev.byoe.jobs.tune;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;

/**
 * Reads metrics from a trial's output the way SageMaker reads a training job's log: each
 * definition's regex is searched in every line, the first capture group is the value, and the
 * latest value is the metric's final value. Captures that are not numbers are counted, not used (a
 * lazy {@code (.*?)} with nothing after it captures an empty string).
 */
public final class MetricScanner {
    private final List<TuningConfig.MetricDefinition> definitions;
    private final Map<String, List<Double>> series = new LinkedHashMap<>();
    private final Map<String, String> unreadable = new LinkedHashMap<>();

    public MetricScanner(List<TuningConfig.MetricDefinition> definitions) {
        this.definitions = definitions;
        definitions.forEach(d -> series.put(d.name(), new ArrayList<>()));
    }

    /** Scans one line; returns the names of the metrics that got a new value. */
    public synchronized List<String> accept(String line) {
        java.util.Set<String> updated = new java.util.LinkedHashSet<>();
        for (TuningConfig.MetricDefinition d : definitions) {
            Matcher m = d.regex().matcher(line);
            while (m.find()) {
                String captured = m.group(1);
                try {
                    double v = Double.parseDouble(captured == null ? "" : captured.strip());
                    if (Double.isFinite(v)) {
                        series.get(d.name()).add(v);
                        updated.add(d.name());
                        continue;
                    }
                } catch (NumberFormatException e) {
                    // Recorded below.
                }
                unreadable.putIfAbsent(d.name(), captured);
            }
        }
        return List.copyOf(updated);
    }

    public synchronized List<Double> series(String name) {
        return List.copyOf(series.getOrDefault(name, List.of()));
    }

    /** Final (latest) value of every metric that matched at least once. */
    public synchronized Map<String, Double> finalValues() {
        Map<String, Double> out = new LinkedHashMap<>();
        series.forEach(
                (k, v) -> {
                    if (!v.isEmpty()) {
                        out.put(k, v.getLast());
                    }
                });
        return out;
    }

    /** Metrics whose regex never captured a number. */
    public synchronized List<String> neverMatched() {
        return series.entrySet().stream()
                .filter(e -> e.getValue().isEmpty())
                .map(Map.Entry::getKey)
                .toList();
    }

    /** A capture that was not a number, for the failure message. */
    public synchronized String unreadableCapture(String name) {
        return unreadable.get(name);
    }
}
