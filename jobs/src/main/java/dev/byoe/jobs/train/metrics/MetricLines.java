package dev.byoe.jobs.train.metrics;

import dev.byoe.core.data.Objective;
import dev.byoe.training.Evaluation;
import dev.byoe.training.anomaly.AnomalyRegistry;
import dev.byoe.training.metrics.Metric;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The lines training prints for tuners, and the regexes that read them.
 *
 * <p>The ensemble's line is {@code validation-<metric>:<value>;} (for example {@code
 * validation-rmse:54.1;}), the form the seed's regexes {@code validation-rmse:([0-9\.]+)} and
 * {@code validation-rmse:(.*?);} expect. Member lines read {@code
 * <member>-validation-<metric>=<value>;}: with '=' instead of ':' no ensemble regex can match them,
 * and they have regexes of their own. Values are plain decimals (never exponent notation), so
 * {@code [0-9\.]+} captures them whole.
 */
public final class MetricLines {
    private MetricLines() {}

    /** One MetricDefinition as SageMaker takes it in AlgorithmSpecification.MetricDefinitions. */
    public record Definition(String name, String regex) {}

    public static List<String> lines(Evaluation evaluation) {
        List<String> out = new ArrayList<>();
        for (Map.Entry<String, Map<String, Double>> m : evaluation.members().entrySet()) {
            for (Map.Entry<String, Double> v : m.getValue().entrySet()) {
                out.add(memberKey(m.getKey(), v.getKey()) + "=" + format(v.getValue()) + ";");
            }
        }
        for (Map.Entry<String, Double> v : evaluation.ensemble().entrySet()) {
            out.add(ensembleKey(v.getKey()) + ":" + format(v.getValue()) + ";");
        }
        return out;
    }

    public static List<Definition> definitions(Objective objective, List<String> members) {
        List<Definition> out = new ArrayList<>();
        for (Metric metric : Metric.forObjective(objective)) {
            out.add(
                    new Definition(
                            "validation:" + metric.id(),
                            ensembleKey(metric.id()) + ":" + VALUE + ";"));
        }
        for (String member : members) {
            for (Metric metric : Metric.forObjective(objective)) {
                out.add(
                        new Definition(
                                member + ":validation:" + metric.id(),
                                memberKey(member, metric.id()) + "=" + VALUE + ";"));
            }
        }
        return out;
    }

    /**
     * Ensemble metric names by objective, e.g. {@code validation:rmse}, for checking a tuning
     * objective.
     */
    public static Map<String, Boolean> ensembleMetricNames(Objective objective) {
        Map<String, Boolean> out = new LinkedHashMap<>();
        for (Metric metric : Metric.forObjective(objective)) {
            out.put("validation:" + metric.id(), metric.higherIsBetter());
        }
        return out;
    }

    /** Log-anomaly job: member lines, then the model's {@code validation-f1:<v>;} etc. */
    public static List<String> detectionLines(
            Map<String, Map<String, Double>> members, Map<String, Double> overall) {
        List<String> out = new ArrayList<>();
        members.forEach(
                (m, values) ->
                        values.forEach((k, v) -> out.add(memberKey(m, k) + "=" + format(v) + ";")));
        overall.forEach((k, v) -> out.add(ensembleKey(k) + ":" + format(v) + ";"));
        return out;
    }

    /**
     * A member's figures after one epoch ({@code deeplog-epoch=3; deeplog-train-loss=0.41; ...}).
     * When it is the only member they are also the model's, printed in the ensemble form ({@code
     * train-loss:0.41; validation-f1:0.83;}) so that a tuner's early stopping sees the objective
     * improve epoch by epoch.
     */
    public static List<String> epochLines(
            String member, int epoch, Map<String, Double> figures, boolean onlyMember) {
        return stepLines(member, "epoch", epoch, figures, onlyMember);
    }

    /**
     * A boosting member's evaluation after one round ({@code xgboost-round=12;
     * xgboost-validation-rmse=0.53;}) and, when the job can tell, the whole ensemble's as it would
     * be with the member stopped there ({@code validation-rmse:0.53; validation-r2:0.81;}), so that
     * a tuning job's early stopping sees its objective round by round. The lines printed after
     * training come last and are the model's.
     */
    public static List<String> roundLines(
            String member, int round, Map<String, Double> figures, Map<String, Double> ensemble) {
        Map<String, Double> validation = new LinkedHashMap<>();
        figures.forEach((k, v) -> validation.put(ensembleKey(k), v));
        List<String> out = new ArrayList<>(stepLines(member, "round", round, validation, false));
        if (ensemble != null) {
            StringBuilder e = new StringBuilder();
            ensemble.forEach(
                    (k, v) ->
                            e.append(e.isEmpty() ? "" : " ")
                                    .append(ensembleKey(k))
                                    .append(':')
                                    .append(format(v))
                                    .append(';'));
            out.add(e.toString());
        }
        return out;
    }

    private static List<String> stepLines(
            String member, String step, int n, Map<String, Double> figures, boolean onlyMember) {
        StringBuilder m = new StringBuilder(member + "-" + step + "=" + n + ";");
        StringBuilder e = new StringBuilder();
        figures.forEach(
                (k, v) -> {
                    m.append(' ')
                            .append(member)
                            .append('-')
                            .append(k)
                            .append('=')
                            .append(format(v))
                            .append(';');
                    if (!k.endsWith("per-second")) {
                        e.append(e.isEmpty() ? "" : " ")
                                .append(k)
                                .append(':')
                                .append(format(v))
                                .append(';');
                    }
                });
        return onlyMember ? List.of(m.toString(), e.toString()) : List.of(m.toString());
    }

    /** Metric definitions of a log-anomaly job. */
    public static List<Definition> detectionDefinitions(List<String> members) {
        List<Definition> out = new ArrayList<>();
        for (String k : List.of("f1", "precision", "recall")) {
            out.add(new Definition("validation:" + k, ensembleKey(k) + ":" + VALUE + ";"));
        }
        if (members.size() == 1 && AnomalyRegistry.require(members.getFirst()).printsEpochLoss()) {
            // Printed each epoch in the model's own form only when that member is the whole model.
            out.add(new Definition("train:loss", "(?<![a-z-])train-loss:" + VALUE + ";"));
        }
        for (String member : members) {
            for (String k : List.of("f1", "precision", "recall")) {
                out.add(
                        new Definition(
                                member + ":validation:" + k,
                                memberKey(member, k) + "=" + VALUE + ";"));
            }
            if (AnomalyRegistry.require(member).printsEpochLoss()) {
                out.add(
                        new Definition(
                                member + ":train:loss", member + "-train-loss=" + VALUE + ";"));
            }
        }
        return out;
    }

    private static final String VALUE = "(-?[0-9\\.]+)";

    private static String ensembleKey(String metric) {
        return "validation-" + metric;
    }

    private static String memberKey(String member, String metric) {
        return member + "-validation-" + metric;
    }

    static String format(double v) {
        return String.format(Locale.ROOT, "%.6f", v);
    }
}
