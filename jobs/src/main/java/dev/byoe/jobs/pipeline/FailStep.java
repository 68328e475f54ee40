package dev.byoe.jobs.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import dev.byoe.core.Json;
import java.util.Set;

/** {@code Fail}: ends the execution as Failed, with its {@code ErrorMessage} as the reason. */
final class FailStep implements StepKind {
    @Override
    public String type() {
        return "Fail";
    }

    @Override
    public Set<String> properties() {
        return Set.of();
    }

    @Override
    public JsonNode run(StepRun run) throws StepFailure {
        String message = Expressions.text(run.arguments().path("ErrorMessage"));
        run.metadata("Fail", Json.MAPPER.createObjectNode().put("ErrorMessage", message));
        throw new StepFailure(message);
    }
}
