package dev.byoe.jobs.train;

import dev.byoe.core.Json;
import dev.byoe.core.data.Objective;
import dev.byoe.jobs.train.metrics.MetricLines;
import dev.byoe.training.anomaly.AnomalyRegistry;
import dev.byoe.training.member.MemberRegistry;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code byoe metric-definitions}: prints the MetricDefinitions JSON to paste into an estimator or
 * tuning job, built from the same table as the metric lines training prints.
 */
@Command(
        name = "metric-definitions",
        description = "Prints the MetricDefinitions JSON of a task's metric lines.")
public final class MetricDefinitionsCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--task", defaultValue = "tabular", description = "${COMPLETION-CANDIDATES}")
    Task task;

    @Option(
            names = "--objective",
            defaultValue = "regression",
            description = "regression, binary or multiclass (tabular)")
    String objectiveId;

    @Option(
            names = "--members",
            split = ",",
            paramLabel = "NAME",
            description = "default: the task's")
    List<String> members;

    @Override
    public Integer call() throws Exception {
        boolean logs = task == Task.log_anomaly;
        Objective objective;
        try {
            objective = Objective.fromId(objectiveId);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        List<String> members =
                this.members == null
                        ? null
                        : this.members.stream()
                                .map(String::strip)
                                .filter(m -> !m.isEmpty())
                                .toList();
        if (members == null) {
            members = logs ? List.of("pca", "deeplog") : List.of("xgboost", "catboost");
        }
        for (String m : members) {
            boolean known =
                    logs ? AnomalyRegistry.find(m).isPresent() : MemberRegistry.find(m).isPresent();
            if (!known) {
                throw new ParameterException(
                        spec.commandLine(),
                        "unknown member '"
                                + m
                                + "'; known members: "
                                + (logs
                                        ? AnomalyRegistry.all().stream().map(t -> t.name()).toList()
                                        : MemberRegistry.names()));
            }
        }
        List<Map<String, String>> json = new ArrayList<>();
        for (MetricLines.Definition d :
                logs
                        ? MetricLines.detectionDefinitions(members)
                        : MetricLines.definitions(objective, members)) {
            Map<String, String> m = new LinkedHashMap<>();
            m.put("Name", d.name());
            m.put("Regex", d.regex());
            json.add(m);
        }
        spec.commandLine().getOut().println(Json.INDENTED.writeValueAsString(json));
        spec.commandLine().getOut().flush();
        return 0;
    }
}
