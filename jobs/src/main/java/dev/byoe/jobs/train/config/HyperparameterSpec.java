package dev.byoe.jobs.train.config;

import static dev.byoe.training.member.HyperparameterDefinition.categorical;
import static dev.byoe.training.member.HyperparameterDefinition.continuous;
import static dev.byoe.training.member.HyperparameterDefinition.integer;
import static dev.byoe.training.member.HyperparameterDefinition.text;

import dev.byoe.core.data.Objective;
import dev.byoe.jobs.train.Task;
import dev.byoe.training.member.HyperparameterDefinition;
import dev.byoe.training.member.InvalidHyperparameterException;
import dev.byoe.training.member.MemberRegistry;
import dev.byoe.training.member.MemberSettings;
import dev.byoe.training.member.MemberType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * The job's hyperparameters, typed and checked. Ensemble-wide names are defined here; each member's
 * own come from its {@link MemberType} and are set as {@code <member>.<name>}. The shared names
 * {@code num_round}, {@code max_depth} and {@code eta} apply to every member unless a
 * member-prefixed value overrides them. Unknown names and bad values are errors.
 */
public record HyperparameterSpec(
        List<String> members,
        Objective objective,
        int kFold,
        long seed,
        String targetColumn,
        String header,
        List<String> categoricalColumns,
        boolean skipBadRows,
        Map<String, Map<String, Object>> memberHyperparameters,
        Map<String, Double> weights,
        String tuningObjectiveMetric,
        java.time.Duration hostTimeout,
        java.time.Duration silenceTimeout,
        Map<String, String> raw) {

    /** Names every member may take from the ensemble-wide value. */
    public static final List<String> SHARED =
            List.of("num_round", "max_depth", "eta", "early_stopping_rounds");

    /** Set by SageMaker automatic model tuning: the objective's metric name. */
    public static final String TUNING_OBJECTIVE = "_tuning_objective_metric";

    public static final List<HyperparameterDefinition> GLOBAL =
            List.of(
                    categorical(
                            "task",
                            Arrays.stream(Task.values()).map(Task::name).toList(),
                            Task.tabular.name(),
                            "tabular: rows of features and a label; log_anomaly: sessions of log events"),
                    text("members", "xgboost,catboost", "comma-separated ensemble members"),
                    categorical(
                            "objective",
                            List.of("regression", "binary", "multiclass"),
                            "regression",
                            "what to predict"),
                    integer("num_round", 1, 100_000, 100L, "boosting rounds of every member"),
                    integer("max_depth", 1, 32, 6L, "tree depth of every member"),
                    continuous("eta", 0, true, 1, 0.1, "learning rate of every member"),
                    integer(
                            "k_fold",
                            2,
                            100,
                            5L,
                            "cross-validation folds when there is no validation channel"),
                    integer("seed", 0, Integer.MAX_VALUE, 42L, "seed of folds and members"),
                    integer(
                            "early_stopping_rounds",
                            0,
                            100_000,
                            0L,
                            "members that train in rounds (xgboost) stop when the validation metric has "
                                    + "not improved for this many rounds and keep the best (0 = off); "
                                    + "without a validation channel each fold watches its held-out rows"),
                    integer(
                            "host_timeout",
                            1,
                            86_400,
                            300L,
                            "seconds the hosts of a multi-host job wait for each other to start"),
                    integer(
                            "silence_timeout",
                            2,
                            3_600,
                            60L,
                            "seconds a host of a multi-host job may go unheard before the job fails naming it"),
                    text(
                            "target_column",
                            "0",
                            "label column: 0-based index (negative counts from the end) or header name"),
                    categorical(
                            "header",
                            List.of("auto", "true", "false"),
                            "auto",
                            "whether CSV files start with a header row"),
                    categorical(
                            "bad_rows",
                            List.of("fail", "skip"),
                            "fail",
                            "a row with a wrong field count, a missing label or text in a numeric column: fail naming file and "
                                    + "line, or skip it and report how many were skipped"),
                    text(
                            "categorical_columns",
                            "",
                            "columns to treat as categories even when they hold numbers"),
                    text(TUNING_OBJECTIVE, null, "set by SageMaker tuning jobs"));

    private static final HyperparameterDefinition WEIGHT =
            continuous("weight", 0, false, 1e6, 1.0, "averaging weight of the member");

    /**
     * Parses SageMaker's string map. {@code warn} receives notes on names that are accepted but
     * ignored (SageMaker SDK bookkeeping, parameters of members that are not selected).
     */
    public static HyperparameterSpec parse(Map<String, String> raw, Consumer<String> warn) {
        Map<String, Object> global = new LinkedHashMap<>();
        Map<String, String> memberKeys = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : raw.entrySet()) {
            String key = e.getKey();
            String value = unquote(e.getValue());
            if (key.startsWith("sagemaker_")) {
                warn.accept("ignoring SageMaker SDK hyperparameter " + key);
                continue;
            }
            int dot = key.indexOf('.');
            if (dot > 0) {
                memberKeys.put(key, value);
                continue;
            }
            HyperparameterDefinition def = find(GLOBAL, key);
            if (def == null) {
                throw unknown(key);
            }
            global.put(key, def.parse(value));
        }
        for (HyperparameterDefinition d : GLOBAL) {
            if (!global.containsKey(d.name()) && d.defaultValue() != null) {
                global.put(d.name(), d.parse(d.defaultValue()));
            }
        }
        List<String> members = parseMembers((String) global.get("members"));
        Map<String, Map<String, Object>> perMember = new LinkedHashMap<>();
        Map<String, Double> weights = new LinkedHashMap<>();
        for (String m : members) {
            perMember.put(m, new LinkedHashMap<>());
            weights.put(m, (Double) WEIGHT.parse(WEIGHT.defaultValue()));
        }
        for (Map.Entry<String, String> e : memberKeys.entrySet()) {
            String key = e.getKey();
            String prefix = key.substring(0, key.indexOf('.'));
            String name = key.substring(prefix.length() + 1);
            MemberType type = MemberRegistry.find(prefix).orElseThrow(() -> unknown(key));
            HyperparameterDefinition def =
                    name.equals("weight") ? WEIGHT : find(type.hyperparameters(), name);
            if (def == null) {
                throw new InvalidHyperparameterException(
                        "unknown hyperparameter '"
                                + key
                                + "'; "
                                + prefix
                                + " takes: "
                                + names(type.hyperparameters())
                                + " and weight");
            }
            Object value = def.renamed(key).parse(e.getValue());
            if (!members.contains(prefix)) {
                warn.accept(
                        "ignoring "
                                + key
                                + ": "
                                + prefix
                                + " is not in members="
                                + String.join(",", members));
            } else if (name.equals("weight")) {
                weights.put(prefix, (Double) value);
            } else {
                perMember.get(prefix).put(name, value);
            }
        }
        if (weights.values().stream().mapToDouble(Double::doubleValue).sum() <= 0) {
            throw new InvalidHyperparameterException(
                    "member weights are all zero; at least one must be positive");
        }
        for (String m : members) {
            resolveMember(MemberRegistry.require(m), perMember.get(m), raw, global);
        }
        String categoricalColumns = (String) global.get("categorical_columns");
        return new HyperparameterSpec(
                members,
                Objective.fromId((String) global.get("objective")),
                ((Long) global.get("k_fold")).intValue(),
                (Long) global.get("seed"),
                (String) global.get("target_column"),
                (String) global.get("header"),
                categoricalColumns.isBlank()
                        ? List.of()
                        : Arrays.stream(categoricalColumns.split(","))
                                .map(String::strip)
                                .filter(s -> !s.isEmpty())
                                .toList(),
                "skip".equals(global.get("bad_rows")),
                perMember,
                weights,
                (String) global.get(TUNING_OBJECTIVE),
                java.time.Duration.ofSeconds((Long) global.get("host_timeout")),
                java.time.Duration.ofSeconds((Long) global.get("silence_timeout")),
                Map.copyOf(raw));
    }

    /**
     * Fills a member's values: its own override, else the shared ensemble-wide value, else its
     * default.
     */
    private static void resolveMember(
            MemberType type,
            Map<String, Object> values,
            Map<String, String> raw,
            Map<String, Object> global) {
        for (HyperparameterDefinition d : type.hyperparameters()) {
            if (values.containsKey(d.name())) {
                continue;
            }
            if (SHARED.contains(d.name())) {
                String given = raw.get(d.name());
                String source =
                        given != null ? unquote(given) : String.valueOf(global.get(d.name()));
                // Re-check against the member's own range (CatBoost's depth stops at 16).
                try {
                    values.put(d.name(), d.parse(source));
                } catch (InvalidHyperparameterException e) {
                    throw new InvalidHyperparameterException(
                            "hyperparameter "
                                    + d.name()
                                    + "='"
                                    + source
                                    + "' does not suit "
                                    + type.name()
                                    + ": "
                                    + e.getMessage().replaceFirst("^hyperparameter \\S+ ", "")
                                    + "; set "
                                    + type.name()
                                    + "."
                                    + d.name()
                                    + " to override it for "
                                    + type.name());
                }
            } else if (d.defaultValue() != null) {
                values.put(d.name(), d.parse(d.defaultValue()));
            }
        }
    }

    public MemberSettings settingsFor(String member, int threads) {
        return new MemberSettings(objective, seed, threads, memberHyperparameters.get(member));
    }

    private static List<String> parseMembers(String value) {
        Set<String> seen = new LinkedHashSet<>();
        for (String part : value.split(",")) {
            String name = part.strip().toLowerCase(java.util.Locale.ROOT);
            if (name.isEmpty()) {
                continue;
            }
            MemberRegistry.require(name);
            if (!seen.add(name)) {
                throw new InvalidHyperparameterException(
                        "member '" + name + "' is listed twice in members=" + value);
            }
        }
        if (seen.isEmpty()) {
            throw new InvalidHyperparameterException(
                    "members is empty; choose from " + MemberRegistry.names());
        }
        return new ArrayList<>(seen);
    }

    /** The SageMaker SDK JSON-encodes some values ("\"abc\""); accept both forms. */
    public static String unquote(String v) {
        String s = v.strip();
        return s.length() >= 2 && s.startsWith("\"") && s.endsWith("\"")
                ? s.substring(1, s.length() - 1)
                : v;
    }

    /** The definition named {@code name}, or {@code null}. */
    public static HyperparameterDefinition find(List<HyperparameterDefinition> defs, String name) {
        for (HyperparameterDefinition d : defs) {
            if (d.name().equals(name)) {
                return d;
            }
        }
        return null;
    }

    private static InvalidHyperparameterException unknown(String key) {
        Set<String> known = new TreeSet<>(names(GLOBAL));
        for (MemberType t : MemberRegistry.all()) {
            known.add(t.name() + ".<name>");
        }
        return new InvalidHyperparameterException(
                "unknown hyperparameter '" + key + "'; known: " + known);
    }

    private static List<String> names(List<HyperparameterDefinition> defs) {
        return defs.stream()
                .map(HyperparameterDefinition::name)
                .filter(n -> !n.startsWith("_"))
                .toList();
    }
}
