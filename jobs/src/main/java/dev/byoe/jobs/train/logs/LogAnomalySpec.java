package dev.byoe.jobs.train.logs;

import static dev.byoe.training.member.HyperparameterDefinition.categorical;
import static dev.byoe.training.member.HyperparameterDefinition.continuous;
import static dev.byoe.training.member.HyperparameterDefinition.integer;
import static dev.byoe.training.member.HyperparameterDefinition.text;

import dev.byoe.jobs.train.Task;
import dev.byoe.jobs.train.config.HyperparameterSpec;
import dev.byoe.training.anomaly.AnomalyMemberType;
import dev.byoe.training.anomaly.AnomalyRegistry;
import dev.byoe.training.member.HyperparameterDefinition;
import dev.byoe.training.member.InvalidHyperparameterException;
import dev.byoe.training.member.MemberSettings;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Hyperparameters of a {@code task=log_anomaly} job, typed and checked: job-wide names here, each
 * member's own as {@code <member>.<name>} from its {@link AnomalyMemberType}.
 */
public record LogAnomalySpec(
        List<String> members,
        long seed,
        String sequenceColumn,
        String labelColumn,
        String idColumn,
        String sessionIdRegex,
        String processOptions,
        double calibrationFraction,
        double validationFraction,
        double decisionThreshold,
        double falsePositiveRate,
        String tuningObjectiveMetric,
        Map<String, Map<String, Object>> memberHyperparameters,
        Map<String, Double> weights,
        Map<String, String> raw) {

    public static final List<HyperparameterDefinition> GLOBAL =
            List.of(
                    categorical(
                            "task",
                            Arrays.stream(Task.values()).map(Task::name).toList(),
                            Task.tabular.name(),
                            "what the job trains"),
                    text(
                            "members",
                            "pca,deeplog",
                            "comma-separated log members: pca, deeplog, xgboost, catboost"),
                    integer("seed", 0, Integer.MAX_VALUE, 42L, "seed of every member"),
                    text(
                            "sequence_column",
                            "EventSequence",
                            "column holding the space-separated events (E<n> or <n>)"),
                    text(
                            "label_column",
                            "Label",
                            "column of labels (1/0, Anomaly/Normal, true/false); optional"),
                    text("id_column", "", "column of session ids (default: the first column)"),
                    text(
                            "session_id_regex",
                            "blk_-?\\d+",
                            "how raw log lines name their session, for serving raw lines"),
                    text(
                            "process_options",
                            "--preset hdfs",
                            "with a 'logs' channel of raw logs: how to parse them (byoe process's options)"),
                    continuous(
                            "calibration_fraction",
                            0,
                            false,
                            0.9,
                            0.2,
                            "share of the labelled training sessions held out to calibrate the members and pick the threshold"),
                    continuous(
                            "validation_fraction",
                            0,
                            false,
                            0.9,
                            0.2,
                            "without a 'validation' channel: share of the labelled training sessions held out to report validation "
                                    + "metrics (0: none)"),
                    continuous(
                            "decision_threshold",
                            0,
                            false,
                            1,
                            0.0,
                            "anomalous when the averaged probability is above this; 0: best F1 (labels) or the false-positive budget"),
                    continuous(
                            "false_positive_rate",
                            0,
                            true,
                            0.5,
                            0.01,
                            "without labels: the share of normal training sessions the threshold lets through as anomalous"),
                    text("_tuning_objective_metric", null, "set by SageMaker tuning jobs"));

    private static final HyperparameterDefinition WEIGHT =
            continuous(
                    "weight",
                    0,
                    false,
                    1e6,
                    1.0,
                    "averaging weight of the member's calibrated probability");

    public static LogAnomalySpec parse(Map<String, String> raw, Consumer<String> warn) {
        Map<String, Object> global = new LinkedHashMap<>();
        Map<String, String> memberKeys = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : raw.entrySet()) {
            String key = e.getKey();
            String value = HyperparameterSpec.unquote(e.getValue());
            if (key.startsWith("sagemaker_")) {
                warn.accept("ignoring SageMaker SDK hyperparameter " + key);
            } else if (key.indexOf('.') > 0) {
                memberKeys.put(key, value);
            } else {
                HyperparameterDefinition d = HyperparameterSpec.find(GLOBAL, key);
                if (d == null) {
                    throw new InvalidHyperparameterException(
                            "unknown hyperparameter '"
                                    + key
                                    + "' for task=log_anomaly; known: "
                                    + GLOBAL.stream()
                                            .map(HyperparameterDefinition::name)
                                            .filter(n -> !n.startsWith("_"))
                                            .toList()
                                    + " and <member>.<name>");
                }
                global.put(key, d.parse(value));
            }
        }
        for (HyperparameterDefinition d : GLOBAL) {
            if (!global.containsKey(d.name()) && d.defaultValue() != null) {
                global.put(d.name(), d.parse(d.defaultValue()));
            }
        }
        Set<String> members = new LinkedHashSet<>();
        for (String part : ((String) global.get("members")).split(",")) {
            String name = part.strip().toLowerCase(java.util.Locale.ROOT);
            if (!name.isEmpty() && !members.add(AnomalyRegistry.require(name).name())) {
                throw new InvalidHyperparameterException(
                        "member '" + name + "' is listed twice in members");
            }
        }
        if (members.isEmpty()) {
            throw new InvalidHyperparameterException(
                    "members is empty; choose from "
                            + AnomalyRegistry.all().stream().map(AnomalyMemberType::name).toList());
        }
        Map<String, Map<String, Object>> perMember = new LinkedHashMap<>();
        Map<String, Double> weights = new LinkedHashMap<>();
        for (String m : members) {
            perMember.put(m, new LinkedHashMap<>());
            weights.put(m, 1.0);
        }
        for (Map.Entry<String, String> e : memberKeys.entrySet()) {
            String prefix = e.getKey().substring(0, e.getKey().indexOf('.'));
            String name = e.getKey().substring(prefix.length() + 1);
            AnomalyMemberType type = AnomalyRegistry.require(prefix);
            HyperparameterDefinition d =
                    name.equals("weight")
                            ? WEIGHT
                            : HyperparameterSpec.find(type.hyperparameters(), name);
            if (d == null) {
                throw new InvalidHyperparameterException(
                        "unknown hyperparameter '"
                                + e.getKey()
                                + "'; "
                                + prefix
                                + " takes: "
                                + type.hyperparameters().stream()
                                        .map(HyperparameterDefinition::name)
                                        .toList());
            }
            Object v = d.renamed(e.getKey()).parse(e.getValue());
            if (members.contains(prefix) && name.equals("weight")) {
                weights.put(prefix, (Double) v);
            } else if (members.contains(prefix)) {
                perMember.get(prefix).put(name, v);
            } else {
                warn.accept("ignoring " + e.getKey() + ": " + prefix + " is not in members");
            }
        }
        for (String m : members) {
            for (HyperparameterDefinition d : AnomalyRegistry.require(m).hyperparameters()) {
                if (!perMember.get(m).containsKey(d.name()) && d.defaultValue() != null) {
                    perMember.get(m).put(d.name(), d.parse(d.defaultValue()));
                }
            }
        }
        if (weights.values().stream().mapToDouble(Double::doubleValue).sum() <= 0) {
            throw new InvalidHyperparameterException(
                    "member weights are all zero; at least one must be positive");
        }
        String regex = (String) global.get("session_id_regex");
        try {
            java.util.regex.Pattern.compile(regex);
        } catch (java.util.regex.PatternSyntaxException e) {
            throw new InvalidHyperparameterException(
                    "session_id_regex",
                    regex,
                    "is not a valid regular expression: " + e.getDescription());
        }
        return new LogAnomalySpec(
                new ArrayList<>(members),
                (Long) global.get("seed"),
                (String) global.get("sequence_column"),
                (String) global.get("label_column"),
                (String) global.get("id_column"),
                regex,
                (String) global.get("process_options"),
                (Double) global.get("calibration_fraction"),
                (Double) global.get("validation_fraction"),
                (Double) global.get("decision_threshold"),
                (Double) global.get("false_positive_rate"),
                (String) global.get("_tuning_objective_metric"),
                perMember,
                weights,
                Map.copyOf(raw));
    }

    public MemberSettings settingsFor(String member, int threads) {
        return new MemberSettings(null, seed, threads, memberHyperparameters.get(member));
    }
}
