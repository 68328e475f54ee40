package dev.byoe.jobs.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import dev.byoe.core.Json;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A definition against the published pipeline-definition JSON schema (a file the user gives; its
 * repository has no license, so byoe does not ship it). Each step is checked against its type's
 * definition in the schema (the schema's {@code oneOf} over every type would report every type's
 * complaints), a Condition step without its branches, which are checked as steps of their own.
 *
 * <p>The schema is older than the SageMaker Python SDK: what the SDK writes today and the schema
 * does not list is reported apart, as a known difference, not as a problem.
 */
public final class SchemaCheck {
    /** The schema's definition of each step type. */
    private static final Map<String, String> DEFINITIONS =
            Map.of(
                    "Processing", "ProcessingStep",
                    "Training", "TrainingStep",
                    "Tuning", "TuningStep",
                    "Model", "CreateModelStep",
                    "RegisterModel", "RegisterModelStep",
                    "Transform", "TransformStep",
                    "Condition", "ConditionStep",
                    "Fail", "FailStep",
                    "QualityCheck", "QualityCheckStep");

    /** What the SDK writes that the schema (2020-12-01, last changed 2025-04) does not list. */
    static final List<Pattern> KNOWN_DIFFERENCES =
            List.of(
                    // RegisterModel: the SDK sets the new version's approval status.
                    Pattern.compile(".*property 'ModelApprovalStatus' is not defined.*"),
                    // Fail: the schema gives its Arguments no members; the SDK writes ErrorMessage.
                    Pattern.compile(".*property 'ErrorMessage' is not defined.*"),
                    // Std:Join where the schema takes a string or a Get (the SDK joins S3 URIs so).
                    Pattern.compile(
                            ".*(property 'Std:Join' is not defined|required property 'Get' not found|object found, string expected|must be valid to one and only one schema, but 0 are valid).*"),
                    // RegisterModel: the baselines later drift checks use (the SDK's
                    // drift_check_baselines).
                    Pattern.compile(".*property 'DriftCheckBaselines' is not defined.*"),
                    // Processing steps' PropertyFiles (the SDK's evaluation reports).
                    Pattern.compile(".*property 'PropertyFiles' is not defined.*"));

    /** What the check found. */
    public record Result(List<String> problems, List<String> knownDifferences) {}

    private SchemaCheck() {}

    public static Result check(PipelineDefinition definition, Path schemaFile) throws IOException {
        ObjectNode schemaJson = (ObjectNode) Json.MAPPER.readTree(schemaFile.toFile());
        // Its $schema names no draft the validator knows and its $id points at GitHub; its refs are
        // all local (#/definitions/...): read as draft 7.
        schemaJson.remove("$schema");
        schemaJson.remove("$id");
        JsonSchemaFactory factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7);
        List<String> problems = new ArrayList<>();
        List<String> known = new ArrayList<>();
        ObjectNode top = ((ObjectNode) definition.json().deepCopy());
        top.putArray("Steps");
        sort(factory.getSchema(schemaJson).validate(top), "", problems, known);
        for (Step s : definition.steps()) {
            String name = DEFINITIONS.get(s.type());
            if (name == null) {
                continue;
            }
            ObjectNode one = Json.MAPPER.createObjectNode();
            one.put("$ref", "#/definitions/" + name);
            one.set("definitions", schemaJson.get("definitions"));
            JsonNode step = s.json().deepCopy();
            if (s.type().equals("Condition")) {
                ((ObjectNode) step.path("Arguments")).putArray("IfSteps");
                ((ObjectNode) step.path("Arguments")).putArray("ElseSteps");
            }
            sort(factory.getSchema(one).validate(step), "step " + s.name() + ": ", problems, known);
        }
        return new Result(problems, known);
    }

    /**
     * Known differences apart from problems. A value the SDK writes as a {@code Std:Join} or {@code
     * Std:JsonGet} where the schema takes a string or a {@code Get} (S3 URIs, messages, condition
     * operands) draws several messages at its place; all of them are that one difference.
     */
    private static void sort(
            Set<ValidationMessage> messages,
            String where,
            List<String> problems,
            List<String> known) {
        Set<String> functions = new HashSet<>();
        for (ValidationMessage m : messages) {
            if (m.getMessage().matches(".*property 'Std:(Join|JsonGet)' is not defined.*")) {
                functions.add(m.getInstanceLocation().toString());
            }
        }
        for (ValidationMessage m : messages) {
            String text = where + m.getMessage();
            String at = m.getInstanceLocation().toString();
            boolean isKnown =
                    functions.contains(at)
                            // The condition holding such a value fails the schema's oneOf over
                            // condition types too: those messages are about the same value.
                            || (at.contains("Conditions[")
                                    && functions.stream()
                                            .anyMatch(f -> f.startsWith(condition(at))))
                            || KNOWN_DIFFERENCES.stream().anyMatch(p -> p.matcher(text).matches());
            (isKnown ? known : problems).add(text);
        }
    }

    /** The condition a location is in: {@code $.Arguments.Conditions[0]} of {@code ...[0].Type}. */
    private static String condition(String location) {
        return location.replaceAll("(.*Conditions\\[\\d+\\]).*", "$1");
    }
}
