package dev.byoe.jobs.monitor;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.byoe.core.Json;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * CloudWatch metric records, one JSON object per line (PutMetricData's fields), which SageMaker
 * publishes from {@code /opt/ml/output/metrics/cloudwatch} when {@code publish_cloudwatch_metrics}
 * is {@code Enabled}. Per feature: {@code feature_baseline_drift_<name>}, {@code
 * feature_fraction_present_<name>}, and for numbers {@code feature_statistics_<name>} (sample
 * count, sum, minimum, maximum); plus {@code total_violations}.
 */
final class CloudWatchMetrics {
    static final String FILE = "byoe-data-metrics.json";
    private static final ObjectMapper JSON = Json.MAPPER;

    private CloudWatchMetrics() {}

    static int write(
            Path folder,
            MonitorSettings settings,
            DatasetProfile current,
            Map<String, Double> distances,
            List<Violation> violations)
            throws IOException {
        Files.createDirectories(folder);
        String time = (settings.end() != null ? settings.end() : Instant.now()).toString();
        int records = 0;
        try (Writer out = Files.newBufferedWriter(folder.resolve(FILE), StandardCharsets.UTF_8)) {
            for (FeatureProfile f : current.features()) {
                Double d = distances.get(f.name);
                if (d != null) {
                    records +=
                            line(
                                    out,
                                    record(settings, time, "feature_baseline_drift_" + f.name)
                                            .put("Value", d));
                }
                double present = current.items() == 0 ? 0 : (double) f.present / current.items();
                records +=
                        line(
                                out,
                                record(settings, time, "feature_fraction_present_" + f.name)
                                        .put("Value", present));
                if (f.numbers() > 0) {
                    ObjectNode r = record(settings, time, "feature_statistics_" + f.name);
                    r.putObject("StatisticValues")
                            .put("SampleCount", (double) f.numbers())
                            .put("Sum", f.sum())
                            .put("Minimum", f.min())
                            .put("Maximum", f.max());
                    records += line(out, r);
                }
            }
            records +=
                    line(
                            out,
                            record(settings, time, "total_violations")
                                    .put("Value", (double) violations.size())
                                    .put("Unit", "Count"));
        }
        return records;
    }

    private static ObjectNode record(MonitorSettings settings, String time, String name) {
        ObjectNode r = JSON.createObjectNode();
        r.put("MetricName", name);
        r.put("Timestamp", time);
        ArrayNode dims = r.putArray("Dimensions");
        if (settings.endpoint() != null) {
            dims.addObject().put("Name", "Endpoint").put("Value", settings.endpoint());
        }
        if (settings.schedule() != null) {
            dims.addObject().put("Name", "MonitoringSchedule").put("Value", settings.schedule());
        }
        return r;
    }

    private static int line(Writer out, ObjectNode record) throws IOException {
        out.write(JSON.writeValueAsString(record));
        out.write('\n');
        return 1;
    }
}
