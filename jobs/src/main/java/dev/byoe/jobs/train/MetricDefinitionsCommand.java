package dev.byoe.jobs.train;

import dev.byoe.core.Json;
import dev.byoe.core.data.Objective;
import dev.byoe.jobs.train.metrics.MetricLines;
import dev.byoe.training.anomaly.AnomalyRegistry;
import dev.byoe.training.member.MemberRegistry;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code byoe metric-definitions [--task tabular|log_anomaly] [--objective
 * regression|binary|multiclass] [--members a,b]}: prints the MetricDefinitions JSON to paste into
 * an estimator or tuning job.
 */
public final class MetricDefinitionsCommand {
    public static final String USAGE =
            "usage: byoe metric-definitions [--task tabular|log_anomaly] [--objective regression|binary|multiclass] [--members a,b]\n";

    private MetricDefinitionsCommand() {}

    public static int run(String[] args, PrintStream out, PrintStream err) throws Exception {
        Objective objective = Objective.REGRESSION;
        List<String> members = null;
        boolean logs = false;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--task") && i + 1 < args.length) {
                String v = args[++i];
                if (!v.equals("tabular") && !v.equals("log_anomaly")) {
                    err.println("unknown task '" + v + "' (tabular or log_anomaly)");
                    return 2;
                }
                logs = v.equals("log_anomaly");
            } else if ((a.equals("--objective") || a.equals("--members")) && i + 1 < args.length) {
                String v = args[++i];
                if (a.equals("--objective")) {
                    try {
                        objective = Objective.fromId(v);
                    } catch (IllegalArgumentException e) {
                        err.println(e.getMessage());
                        return 2;
                    }
                } else {
                    members =
                            Arrays.stream(v.split(","))
                                    .map(String::strip)
                                    .filter(s -> !s.isEmpty())
                                    .toList();
                }
            } else {
                err.print(USAGE);
                return 2;
            }
        }
        if (members == null) {
            members = logs ? List.of("pca", "deeplog") : List.of("xgboost", "catboost");
        }
        for (String m : members) {
            boolean known =
                    logs ? AnomalyRegistry.find(m).isPresent() : MemberRegistry.find(m).isPresent();
            if (!known) {
                err.println(
                        "unknown member '"
                                + m
                                + "'; known members: "
                                + (logs
                                        ? AnomalyRegistry.all().stream().map(t -> t.name()).toList()
                                        : MemberRegistry.names()));
                return 2;
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
        out.println(Json.INDENTED.writeValueAsString(json));
        return 0;
    }
}
