package dev.byoe.jobs.monitor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.byoe.core.JobFailure;
import dev.byoe.core.Json;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.datasketches.kll.KllDoublesSketch;
import org.apache.datasketches.quantilescommon.QuantileSearchCriteria;
import org.apache.datasketches.quantilescommon.QuantilesDoublesSketchIteratorAPI;

/**
 * {@code statistics.json} in SageMaker's schema: written from a profile, read back as
 * distributions.
 */
final class StatisticsFile {
    static final int BUCKETS = 10;

    /** KLL's capacity decay between compactor levels in DataSketches' implementation. */
    static final double KLL_C = 2.0 / 3.0;

    private static final ObjectMapper JSON = Json.MAPPER;

    /** A feature as a statistics file describes it. */
    record Feature(
            String name, FeatureType type, long present, long missing, Distribution distribution) {}

    private StatisticsFile() {}

    static ObjectNode of(DatasetProfile profile) {
        ObjectNode root = JSON.createObjectNode();
        root.put("version", 0);
        root.putObject("dataset").put("item_count", profile.items());
        ArrayNode features = root.putArray("features");
        for (FeatureProfile f : profile.features()) {
            ObjectNode node = features.addObject();
            // The statistics schema knows Integral, Fractional and String only (Unknown is for
            // constraints.json): a column without a single value is a String column with no values.
            FeatureType type =
                    f.inferredType() == FeatureType.Unknown ? FeatureType.String : f.inferredType();
            node.put("name", f.name);
            node.put("inferred_type", type.name());
            if (type.numeric()) {
                numeric(node.putObject("numerical_statistics"), f, profile.items());
            } else {
                string(node.putObject("string_statistics"), f, profile.items());
            }
        }
        return root;
    }

    private static void common(ObjectNode stats, FeatureProfile f, long items) {
        ObjectNode common = stats.putObject("common");
        common.put("num_present", f.present);
        common.put("num_missing", items - f.present);
    }

    private static void numeric(ObjectNode stats, FeatureProfile f, long items) {
        common(stats, f, items);
        stats.put("mean", f.mean());
        stats.put("sum", f.sum());
        stats.put("std_dev", f.stdDev());
        stats.put("min", f.min());
        stats.put("max", f.max());
        ObjectNode kll = stats.putObject("distribution").putObject("kll");
        buckets(kll.putArray("buckets"), f.sketch());
        ObjectNode sketch = kll.putObject("sketch");
        sketch.putObject("parameters").put("c", KLL_C).put("k", f.sketch().getK());
        ArrayNode data = sketch.putArray("data");
        for (double[] level : levels(f.sketch())) {
            ArrayNode l = data.addArray();
            for (double x : level) {
                l.add(x);
            }
        }
    }

    /** Ten equal-width buckets between min and max, counts from the sketch's ranks. */
    static void buckets(ArrayNode out, KllDoublesSketch sketch) {
        if (sketch.isEmpty()) {
            return;
        }
        double min = sketch.getMinItem();
        double max = sketch.getMaxItem();
        double width = (max - min) / BUCKETS;
        double n = sketch.getN();
        double previous = 0;
        for (int b = 0; b < BUCKETS; b++) {
            double lower = min + b * width;
            double upper = b == BUCKETS - 1 ? max : min + (b + 1) * width;
            double rank =
                    b == BUCKETS - 1 ? 1 : sketch.getRank(upper, QuantileSearchCriteria.INCLUSIVE);
            ObjectNode bucket = out.addObject();
            bucket.put("lower_bound", lower);
            bucket.put("upper_bound", upper);
            bucket.put("count", Math.round(rank * n) - Math.round(previous * n));
            previous = rank;
        }
    }

    /** Retained items by compactor level: an item on level i stands for 2^i values. */
    static List<double[]> levels(KllDoublesSketch sketch) {
        TreeMap<Integer, List<Double>> byLevel = new TreeMap<>();
        QuantilesDoublesSketchIteratorAPI it = sketch.iterator();
        while (it.next()) {
            int level = Long.numberOfTrailingZeros(it.getWeight());
            byLevel.computeIfAbsent(level, l -> new ArrayList<>()).add(it.getQuantile());
        }
        List<double[]> out = new ArrayList<>();
        int top = byLevel.isEmpty() ? -1 : byLevel.lastKey();
        for (int l = 0; l <= top; l++) {
            out.add(
                    byLevel.getOrDefault(l, List.of()).stream()
                            .mapToDouble(Double::doubleValue)
                            .toArray());
        }
        return out;
    }

    private static void string(ObjectNode stats, FeatureProfile f, long items) {
        common(stats, f, items);
        stats.put("distinct_count", f.distinctCount());
        ArrayNode buckets =
                stats.putObject("distribution").putObject("categorical").putArray("buckets");
        f.valueCounts().entrySet().stream()
                .sorted(
                        Map.Entry.<String, Long>comparingByValue()
                                .reversed()
                                .thenComparing(Map.Entry.comparingByKey()))
                .forEach(
                        e ->
                                buckets.addObject()
                                        .put("value", e.getKey())
                                        .put("count", e.getValue()));
    }

    static Map<String, Feature> read(Path file) {
        JsonNode root;
        try {
            root = JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new JobFailure(
                    "baseline_statistics " + file + " cannot be read: " + e.getMessage());
        }
        Map<String, Feature> out = new LinkedHashMap<>();
        JsonNode features = root == null ? null : root.get("features");
        if (features == null || !features.isArray()) {
            throw new JobFailure("baseline_statistics " + file + " has no \"features\" array");
        }
        for (JsonNode f : features) {
            String name = f.path("name").asText(null);
            if (name == null) {
                throw new JobFailure("baseline_statistics " + file + ": a feature has no \"name\"");
            }
            FeatureType type = FeatureType.parse(f.path("inferred_type").asText(""));
            JsonNode num = f.path("numerical_statistics");
            JsonNode str = f.path("string_statistics");
            JsonNode stats = num.isObject() ? num : str;
            long present = stats.path("common").path("num_present").asLong();
            long missing = stats.path("common").path("num_missing").asLong();
            Distribution d =
                    num.isObject()
                            ? sketchOf(
                                    num.path("distribution").path("kll").path("sketch"), file, name)
                            : categorical(
                                    str.path("distribution").path("categorical").path("buckets"));
            out.put(name, new Feature(name, type, present, missing, d));
        }
        return out;
    }

    /** Rebuilds a sketch from its levels: each item goes in with weight 2^level. */
    private static Distribution sketchOf(JsonNode sketch, Path file, String name) {
        if (!sketch.path("data").isArray()) {
            return null;
        }
        int k = Math.max(8, sketch.path("parameters").path("k").asInt(FeatureProfile.KLL_K));
        KllDoublesSketch s = KllDoublesSketch.newHeapInstance(Math.min(k, 65535));
        JsonNode data = sketch.get("data");
        for (int level = 0; level < data.size(); level++) {
            for (JsonNode x : data.get(level)) {
                if (!x.isNumber()) {
                    throw new JobFailure(
                            "baseline_statistics "
                                    + file
                                    + ": feature '"
                                    + name
                                    + "' has a non-number in its KLL sketch");
                }
                s.update(x.asDouble(), 1L << level);
            }
        }
        return new Distribution.Numeric(s);
    }

    private static Distribution categorical(JsonNode buckets) {
        Map<String, Long> counts = new LinkedHashMap<>();
        for (JsonNode b : buckets) {
            counts.merge(b.path("value").asText(), b.path("count").asLong(), Long::sum);
        }
        return new Distribution.Categorical(counts);
    }
}
