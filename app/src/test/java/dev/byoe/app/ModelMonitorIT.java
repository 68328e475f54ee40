package dev.byoe.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code byoe monitor} as Model Monitor runs a bring-your-own container: a baseline job on 600
 * California housing training rows, then monitoring jobs on 300 held-out rows (no violations), on
 * shifted rows (drift) and on corrupted rows (one violation of each kind where it was planted).
 * Settings come as the environment variables SageMaker sets.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ModelMonitorIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    static final Path TRAIN = MlLayout.data("cal_housing/train.csv");
    static final Path HOLDOUT = MlLayout.data("cal_housing/holdout.csv");
    static final String LABEL = "medianHouseValue";

    Path tmp;
    Path baseline;
    Byoe.Result baselineRun;

    @BeforeAll
    void baseline(@TempDir Path tmp) throws Exception {
        this.tmp = tmp;
        Path input =
                Files.createDirectories(tmp.resolve("processing/input/baseline_dataset_input"));
        Files.copy(TRAIN, input.resolve("train.csv"));
        baseline = tmp.resolve("processing/baseline");
        baselineRun =
                Byoe.run(
                        Map.of(
                                "BYOE_ML_ROOT",
                                tmp.resolve("ml").toString(),
                                "dataset_format",
                                "{\"csv\": {\"header\": true, \"output_columns_position\": \"START\"}}",
                                "dataset_source",
                                input.toString(),
                                "output_path",
                                baseline.toString(),
                                "exclude_columns",
                                LABEL,
                                "publish_cloudwatch_metrics",
                                "Disabled"),
                        "monitor",
                        "baseline");
        assertEquals(0, baselineRun.exit(), baselineRun.all());
    }

    /** The CSV fixture's rows as name -> text maps, in file order. */
    static List<Map<String, String>> rows(Path csv) throws Exception {
        List<String> lines = Files.readAllLines(csv);
        String[] header = lines.getFirst().split(",");
        List<Map<String, String>> rows = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] cells = line.split(",", -1);
            Map<String, String> row = new java.util.LinkedHashMap<>();
            for (int i = 0; i < header.length; i++) {
                row.put(header[i], cells[i]);
            }
            rows.add(row);
        }
        return rows;
    }

    /**
     * Held-out rows without the label (what an endpoint receives), each changed by {@code change},
     * as CSV with a header.
     */
    static String traffic(UnaryOperator<Map<String, String>> change) throws Exception {
        StringBuilder out = new StringBuilder();
        int i = 0;
        for (Map<String, String> row : rows(HOLDOUT)) {
            row.remove(LABEL);
            row.put("#", Integer.toString(i++));
            row = change.apply(row);
            row.remove("#");
            if (out.isEmpty()) {
                out.append(String.join(",", row.keySet())).append('\n');
            }
            out.append(String.join(",", row.values())).append('\n');
        }
        return out.toString();
    }

    Byoe.Result analyze(
            String name, String fileName, String content, String format, Map<String, String> extra)
            throws Exception {
        Path source = Files.createDirectories(tmp.resolve(name + "/input"));
        Files.writeString(source.resolve(fileName), content);
        Map<String, String> env =
                new HashMap<>(
                        Map.of(
                                "BYOE_ML_ROOT",
                                tmp.resolve(name + "/ml").toString(),
                                "dataset_format",
                                format,
                                "dataset_source",
                                source.toString(),
                                "output_path",
                                tmp.resolve(name + "/result").toString(),
                                "baseline_statistics",
                                baseline.resolve("statistics.json").toString(),
                                "baseline_constraints",
                                baseline.resolve("constraints.json").toString()));
        env.putAll(extra);
        Byoe.Result r = Byoe.run(env, "monitor", "analyze");
        assertEquals(0, r.exit(), r.all());
        return r;
    }

    JsonNode result(String name, String file) throws Exception {
        return JSON.readTree(tmp.resolve(name + "/result/" + file).toFile());
    }

    /** (check type, feature) of every violation. */
    static Set<String> violations(JsonNode file) {
        Set<String> out = new TreeSet<>();
        for (JsonNode v : file.get("violations")) {
            assertFalse(v.get("description").asText().isBlank());
            out.add(v.get("constraint_check_type").asText() + ":" + v.get("feature_name").asText());
        }
        return out;
    }

    static JsonNode feature(JsonNode statistics, String name) {
        for (JsonNode f : statistics.get("features")) {
            if (f.get("name").asText().equals(name)) {
                return f;
            }
        }
        throw new AssertionError("no feature " + name + " in " + statistics);
    }

    @Test
    void baselineWritesStatisticsAndConstraintsInSageMakersSchema() throws Exception {
        JsonNode stats = JSON.readTree(baseline.resolve("statistics.json").toFile());
        assertEquals(0, stats.get("version").asInt());
        assertEquals(600, stats.at("/dataset/item_count").asInt());
        List<String> names = new ArrayList<>();
        stats.get("features").forEach(f -> names.add(f.get("name").asText()));
        assertEquals(
                List.of(
                        "longitude",
                        "latitude",
                        "housingMedianAge",
                        "totalRooms",
                        "totalBedrooms",
                        "population",
                        "households",
                        "medianIncome",
                        "region"),
                names,
                "the label is excluded");

        double sum = 0;
        double min = Double.MAX_VALUE;
        double max = -Double.MAX_VALUE;
        for (Map<String, String> row : rows(TRAIN)) {
            double x = Double.parseDouble(row.get("medianIncome"));
            sum += x;
            min = Math.min(min, x);
            max = Math.max(max, x);
        }
        JsonNode income = feature(stats, "medianIncome");
        assertEquals("Fractional", income.get("inferred_type").asText());
        JsonNode num = income.get("numerical_statistics");
        assertEquals(600, num.at("/common/num_present").asInt());
        assertEquals(0, num.at("/common/num_missing").asInt());
        assertEquals(sum, num.get("sum").asDouble(), 1e-6);
        assertEquals(sum / 600, num.get("mean").asDouble(), 1e-9);
        assertEquals(min, num.get("min").asDouble());
        assertEquals(max, num.get("max").asDouble());
        assertTrue(
                num.get("std_dev").asDouble() > 0.5 && num.get("std_dev").asDouble() < 5,
                num.toString());
        JsonNode buckets = num.at("/distribution/kll/buckets");
        assertEquals(10, buckets.size());
        long counted = 0;
        for (JsonNode b : buckets) {
            counted += b.get("count").asLong();
            assertTrue(b.get("lower_bound").asDouble() <= b.get("upper_bound").asDouble());
        }
        assertEquals(600, counted, "the buckets hold every value");
        assertEquals(min, buckets.get(0).get("lower_bound").asDouble());
        assertEquals(max, buckets.get(9).get("upper_bound").asDouble());
        JsonNode sketch = num.at("/distribution/kll/sketch");
        assertEquals(200, sketch.at("/parameters/k").asInt());
        long weighted = 0;
        for (int level = 0; level < sketch.get("data").size(); level++) {
            weighted += (long) sketch.get("data").get(level).size() << level;
        }
        assertEquals(600, weighted, "the sketch's items, weighted 2^level, stand for every value");

        assertEquals("Integral", feature(stats, "housingMedianAge").get("inferred_type").asText());
        JsonNode region = feature(stats, "region");
        assertEquals("String", region.get("inferred_type").asText());
        assertEquals(3, region.at("/string_statistics/distinct_count").asInt());
        assertEquals(600, region.at("/string_statistics/common/num_present").asInt());
        long regionRows = 0;
        for (JsonNode b : region.at("/string_statistics/distribution/categorical/buckets")) {
            regionRows += b.get("count").asLong();
        }
        assertEquals(600, regionRows);

        JsonNode constraints = JSON.readTree(baseline.resolve("constraints.json").toFile());
        assertEquals(0, constraints.get("version").asInt());
        JsonNode regionConstraint = constraints.get("features").get(8);
        assertEquals("region", regionConstraint.get("name").asText());
        assertEquals(
                "[\"central\",\"north\",\"south\"]",
                regionConstraint.at("/string_constraints/domains").toString());
        JsonNode longitude = constraints.get("features").get(0);
        assertEquals(1.0, longitude.get("completeness").asDouble());
        assertFalse(
                longitude.at("/num_constraints/is_non_negative").asBoolean(),
                "longitudes are negative");
        assertTrue(
                constraints
                        .get("features")
                        .get(1)
                        .at("/num_constraints/is_non_negative")
                        .asBoolean());
        JsonNode config = constraints.get("monitoring_config");
        assertEquals("Enabled", config.get("evaluate_constraints").asText());
        assertEquals("Robust", config.at("/distribution_constraints/comparison_method").asText());
        assertEquals(0.1, config.at("/distribution_constraints/comparison_threshold").asDouble());
        assertTrue(Files.readString(baseline.resolve("report.html")).contains("<svg"));
    }

    @Test
    void heldOutRowsHaveNoViolationsAndPublishMetricRecords() throws Exception {
        Byoe.Result r =
                analyze(
                        "holdout",
                        "rows.csv",
                        traffic(row -> row),
                        "{\"csv\": {\"header\": true}}",
                        Map.of(
                                "publish_cloudwatch_metrics",
                                "Enabled",
                                "sagemaker_endpoint_name",
                                "byoe-housing",
                                "sagemaker_monitoring_schedule_name",
                                "byoe-hourly",
                                "end_time",
                                "2026-11-22T21:00:00Z"));
        assertEquals(
                Set.of(), violations(result("holdout", "constraint_violations.json")), r.all());
        assertEquals(300, result("holdout", "statistics.json").at("/dataset/item_count").asInt());

        List<String> lines =
                Files.readAllLines(
                        tmp.resolve("holdout/ml/output/metrics/cloudwatch/byoe-data-metrics.json"));
        Map<String, JsonNode> metrics = new HashMap<>();
        for (String line : lines) {
            JsonNode m = JSON.readTree(line);
            metrics.put(m.get("MetricName").asText(), m);
            assertEquals("2026-11-22T21:00:00Z", m.get("Timestamp").asText());
            assertEquals(
                    "[{\"Name\":\"Endpoint\",\"Value\":\"byoe-housing\"},{\"Name\":\"MonitoringSchedule\",\"Value\":\"byoe-hourly\"}]",
                    m.get("Dimensions").toString());
            assertTrue(
                    m.has("Value") != m.has("StatisticValues"),
                    "either Value or StatisticValues: " + m);
        }
        assertEquals(0.0, metrics.get("total_violations").get("Value").asDouble());
        assertEquals(1.0, metrics.get("feature_fraction_present_region").get("Value").asDouble());
        double drift = metrics.get("feature_baseline_drift_medianIncome").get("Value").asDouble();
        assertTrue(
                drift > 0 && drift < 0.1,
                "held-out incomes are distributed as the training ones: " + drift);
        assertEquals(
                300,
                metrics.get("feature_statistics_population")
                        .at("/StatisticValues/SampleCount")
                        .asInt());
    }

    @Test
    void heldOutRowsAsJsonLinesHaveNoViolations() throws Exception {
        StringBuilder jsonl = new StringBuilder();
        for (Map<String, String> row : rows(HOLDOUT)) {
            row.remove(LABEL);
            Map<String, Object> typed = new java.util.LinkedHashMap<>();
            row.forEach(
                    (k, v) ->
                            typed.put(
                                    k,
                                    k.equals("region") ? v : (Object) new java.math.BigDecimal(v)));
            jsonl.append(JSON.writeValueAsString(typed)).append('\n');
        }
        analyze("jsonl", "rows.jsonl", jsonl.toString(), "{\"json\": {\"line\": true}}", Map.of());
        assertEquals(Set.of(), violations(result("jsonl", "constraint_violations.json")));
        assertEquals(300, result("jsonl", "statistics.json").at("/dataset/item_count").asInt());
    }

    @Test
    void shiftedRowsReportBaselineDrift() throws Exception {
        analyze(
                "shifted",
                "rows.csv",
                traffic(
                        row -> {
                            row.put(
                                    "medianIncome",
                                    String.format(
                                            Locale.ROOT,
                                            "%.4f",
                                            Double.parseDouble(row.get("medianIncome")) * 1.8));
                            row.put(
                                    "housingMedianAge",
                                    Integer.toString(
                                            Integer.parseInt(row.get("housingMedianAge")) + 15));
                            return row;
                        }),
                "{\"csv\": {\"header\": true}}",
                Map.of());
        JsonNode file = result("shifted", "constraint_violations.json");
        assertEquals(
                Set.of(
                        "baseline_drift_check:housingMedianAge",
                        "baseline_drift_check:medianIncome"),
                violations(file));
        assertTrue(file.toString().contains("exceeds threshold: 0.1"), file.toString());
        String report = Files.readString(tmp.resolve("shifted/result/report.html"));
        assertTrue(
                report.contains("Violations (2)") && report.contains("baseline_drift_check"),
                "the report lists them");
    }

    @Test
    void corruptedRowsReportEachPlantedViolation() throws Exception {
        analyze(
                "corrupted",
                "rows.csv",
                traffic(
                        row -> {
                            int i = Integer.parseInt(row.get("#"));
                            row.remove("population");
                            row.put("note", "n" + i);
                            if (i % 4 == 0) {
                                row.put("housingMedianAge", "unknown");
                            }
                            if (i % 5 == 0) {
                                row.put("totalRooms", "");
                            }
                            if (i % 3 == 0) {
                                row.put("region", "offshore");
                            }
                            return row;
                        }),
                "{\"csv\": {\"header\": true}}",
                Map.of());
        JsonNode file = result("corrupted", "constraint_violations.json");
        assertEquals(
                Set.of(
                        "missing_column_check:population",
                        "extra_column_check:note",
                        "data_type_check:housingMedianAge",
                        "completeness_check:totalRooms",
                        "categorical_values_check:region",
                        // A third of the values being new moves the category shares too.
                        "baseline_drift_check:region"),
                violations(file),
                file.toPrettyString());
        String description = file.toString();
        assertTrue(description.contains("Expected data type: Integral"), description);
        assertTrue(description.contains("offshore"), description);
        // SageMaker's monitor's sentences, which its tooling reads: "... Expected match: N%.
        // Observed: Only M% of data ...".
        java.util.regex.Pattern form =
                java.util.regex.Pattern.compile(
                        "requirement is not met\\. .*Expected match: [0-9.]+%\\. Observed: Only [0-9.]+% of data (is|is within)");
        for (JsonNode v : file.get("violations")) {
            String type = v.get("constraint_check_type").asText();
            if (type.equals("data_type_check") || type.equals("categorical_values_check")) {
                assertTrue(form.matcher(v.get("description").asText()).find(), v.toString());
            }
        }
        assertTrue(
                file.toString().contains("Observed: Only 75.0% of data is Integral."),
                file.toString());
        JsonNode age = feature(result("corrupted", "statistics.json"), "housingMedianAge");
        assertEquals(
                300,
                age.at("/numerical_statistics/common/num_present").asInt(),
                "text values are present values");
        JsonNode rooms = feature(result("corrupted", "statistics.json"), "totalRooms");
        assertEquals(60, rooms.at("/numerical_statistics/common/num_missing").asInt());
    }

    @Test
    void aMonitoringJobWithoutConstraintsOrWithABadFormatFailsWithTheReason() throws Exception {
        Path root = tmp.resolve("failing/ml");
        Byoe.Result noBaseline =
                Byoe.run(
                        Map.of(
                                "BYOE_ML_ROOT",
                                root.toString(),
                                "dataset_source",
                                HOLDOUT.toString(),
                                "output_path",
                                tmp.resolve("failing/out").toString()),
                        "monitor",
                        "analyze");
        assertNotEquals(0, noBaseline.exit());
        assertTrue(
                Files.readString(root.resolve("output/message"))
                        .contains("analyze needs baseline_constraints"));

        Byoe.Result badFormat =
                Byoe.run(
                        Map.of(
                                "BYOE_ML_ROOT",
                                root.toString(),
                                "dataset_source",
                                HOLDOUT.toString(),
                                "dataset_format",
                                "{\"parquet\": {}}",
                                "output_path",
                                tmp.resolve("failing/out").toString()),
                        "monitor",
                        "baseline");
        assertNotEquals(0, badFormat.exit());
        assertTrue(
                Files.readString(root.resolve("output/message")).contains("is not a Parquet file"),
                badFormat.all());
        assertFalse(
                badFormat.all().contains("\tat "),
                "a reason, not a stack trace: " + badFormat.all());
    }

    @Test
    void aBadOptionFailsTheJob() throws Exception {
        Path root = tmp.resolve("bad-option/ml");
        Byoe.Result r =
                Byoe.run(
                        Map.of("BYOE_ML_ROOT", root.toString()),
                        "monitor",
                        "baseline",
                        "--dataset-sauce",
                        HOLDOUT.toString());
        assertNotEquals(0, r.exit());
        String message = Files.readString(root.resolve("output/message"));
        assertTrue(message.contains("--dataset-sauce"), message);
        Byoe.Result mode = Byoe.run(Map.of("BYOE_ML_ROOT", root.toString()), "monitor", "drift");
        assertNotEquals(0, mode.exit());
        assertTrue(Files.readString(root.resolve("output/message")).contains("drift"), mode.all());
    }

    @Test
    void theExampleBaselineJobRunsAsWritten() throws Exception {
        Path examples = Path.of(System.getProperty("byoe.root", "..")).resolve("examples/aws-cli");
        JsonNode job = JSON.readTree(examples.resolve("monitoring-baseline-job.json").toFile());
        Path opt = tmp.resolve("example");
        Map<String, String> env =
                new HashMap<>(Map.of("BYOE_ML_ROOT", opt.resolve("ml").toString()));
        job.get("Environment")
                .properties()
                .forEach(
                        e ->
                                env.put(
                                        e.getKey(),
                                        e.getValue().asText().replace("/opt/ml", opt.toString())));
        Path input =
                Files.createDirectories(
                        Path.of(
                                job.at("/ProcessingInputs/0/S3Input/LocalPath")
                                        .asText()
                                        .replace("/opt/ml", opt.toString())));
        Files.copy(TRAIN, input.resolve("train.csv"));
        List<String> args = new ArrayList<>();
        job.at("/AppSpecification/ContainerArguments").forEach(a -> args.add(a.asText()));
        Byoe.Result r = Byoe.run(env, args.toArray(new String[0]));
        assertEquals(0, r.exit(), r.all());
        Path output =
                Path.of(
                        job.at("/ProcessingOutputConfig/Outputs/0/S3Output/LocalPath")
                                .asText()
                                .replace("/opt/ml", opt.toString()));
        assertEquals(
                JSON.readTree(baseline.resolve("constraints.json").toFile()),
                JSON.readTree(output.resolve("constraints.json").toFile()),
                "the same baseline as the job above");

        JsonNode schedule =
                JSON.readTree(examples.resolve("monitoring-schedule.json").toFile())
                        .at("/MonitoringScheduleConfig/MonitoringJobDefinition");
        assertEquals(
                "[\"monitor\",\"analyze\"]",
                schedule.at("/MonitoringAppSpecification/ContainerArguments").toString());
    }
}
