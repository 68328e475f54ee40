package dev.byoe.jobs.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;

/**
 * A checked definition: its parameters with the values this execution uses, and every step
 * (including those inside Condition steps' branches) in an order where each comes after what it
 * depends on.
 */
public record PipelineDefinition(
        JsonNode json,
        List<Parameter> parameters,
        Map<String, JsonNode> parameterValues,
        List<Step> steps,
        List<String> notes) {

    public Step step(String name) {
        return steps.stream().filter(s -> s.name().equals(name)).findFirst().orElse(null);
    }
}
