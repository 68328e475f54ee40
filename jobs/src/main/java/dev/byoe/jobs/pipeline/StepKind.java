package dev.byoe.jobs.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Set;

/**
 * What a step type does here: the properties later steps may read, the images it names, the
 * SageMaker request its {@code Arguments} are, and how it runs. One class per type, registered in
 * {@link StepKinds}.
 */
public interface StepKind {
    /** The {@code Type} the definition writes. */
    String type();

    /** The first names of the properties a {@code Get} of {@code Steps.<name>.} may use. */
    Set<String> properties();

    /**
     * The SageMaker request shape its {@code Arguments} are (without the job name the pipeline
     * chooses), and that name's member; empty for steps that are not an API request.
     */
    default List<String> request() {
        return List.of();
    }

    /** The container images its arguments name, for the byoe-image check (literal ones only). */
    default List<JsonNode> images(JsonNode arguments) {
        return List.of();
    }

    /** The longest job name SageMaker accepts for it. */
    default int jobNameLimit() {
        return 63;
    }

    /**
     * The part of its arguments whose functions are resolved before it runs (a Condition step's
     * branches are steps of their own, resolved when they run).
     */
    default JsonNode resolvable(JsonNode arguments) {
        return arguments;
    }

    /** Problems of its arguments that are known before running (beyond the API shape). */
    default List<String> check(JsonNode step) {
        return List.of();
    }

    /**
     * Runs the step with its {@code Arguments} resolved; returns its properties (a Describe*-shaped
     * object). A {@link StepFailure} fails it with a reason.
     */
    JsonNode run(StepRun run) throws Exception;
}
