package dev.byoe.jobs.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * One step of a definition, with the branch it sits in: a step listed in a Condition step's {@code
 * IfSteps} or {@code ElseSteps} runs only when that condition chose its branch.
 *
 * @param json the step as the definition writes it
 * @param kind what runs it
 * @param dependsOn {@code DependsOn}, plus the steps its arguments read and its condition step
 * @param condition the Condition step whose branch holds this step, or {@code null}
 * @param ifBranch whether it is in that condition's {@code IfSteps} (else {@code ElseSteps})
 */
public record Step(
        String name,
        JsonNode json,
        StepKind kind,
        Set<String> dependsOn,
        Cache cache,
        List<Retry> retries,
        List<PropertyFile> propertyFiles,
        String condition,
        boolean ifBranch) {

    public String type() {
        return json.path("Type").asText();
    }

    public JsonNode arguments() {
        return json.path("Arguments");
    }

    /** {@code CacheConfig}: {@code expireAfter} is {@code null} when entries never expire. */
    public record Cache(boolean enabled, Duration expireAfter) {
        public static final Cache OFF = new Cache(false, null);
    }

    /**
     * One {@code RetryPolicies} entry. SageMaker's defaults: 1 s, doubled each time, 5 attempts.
     */
    public record Retry(
            Set<String> exceptionTypes,
            long intervalSeconds,
            double backoffRate,
            int maxAttempts) {}

    /** {@code PropertyFiles}: a JSON file a Processing step writes to one of its outputs. */
    public record PropertyFile(String name, String outputName, String filePath) {}
}
