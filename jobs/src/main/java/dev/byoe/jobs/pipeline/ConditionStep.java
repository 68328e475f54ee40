package dev.byoe.jobs.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.byoe.core.Json;
import java.util.Set;

/**
 * {@code Condition}: its conditions decide whether the steps of {@code IfSteps} or of {@code
 * ElseSteps} run; the other branch's steps (and what depends on them) never start.
 */
final class ConditionStep implements StepKind {
    @Override
    public String type() {
        return "Condition";
    }

    @Override
    public Set<String> properties() {
        return Set.of("Outcome");
    }

    @Override
    public JsonNode resolvable(JsonNode arguments) {
        ObjectNode only = Json.MAPPER.createObjectNode();
        only.set("Conditions", arguments.path("Conditions"));
        return only;
    }

    @Override
    public JsonNode run(StepRun run) {
        boolean outcome = Conditions.all(run.arguments().path("Conditions"));
        run.metadata(
                "Condition",
                Json.MAPPER.createObjectNode().put("Outcome", outcome ? "True" : "False"));
        return Json.MAPPER.createObjectNode().put("Outcome", outcome);
    }
}
