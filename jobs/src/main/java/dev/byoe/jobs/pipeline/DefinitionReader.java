package dev.byoe.jobs.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import dev.byoe.jobs.api.ApiShapes;
import java.time.Duration;
import java.time.Period;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads a SageMaker Pipelines definition and refuses, before anything runs, what could not run to
 * the end: an unknown or non-local step type, an image that is not byoe's, a reference to a
 * parameter, step or property that does not exist, a dependency cycle, a parameter override of the
 * wrong type. Every problem is collected, each naming its step.
 */
public final class DefinitionReader {
    /** Step types SageMaker has that need AWS services this machine does not have. */
    private static final Map<String, String> NOT_LOCAL =
            Map.of(
                    "Lambda", "runs an AWS Lambda function",
                    "Callback", "waits for a message on an Amazon SQS queue",
                    "EMR", "runs on an Amazon EMR cluster",
                    "ClarifyCheck", "runs SageMaker Clarify's image",
                    "AutoML", "runs SageMaker Autopilot",
                    "Endpoint", "creates a SageMaker endpoint (use byoe deploy here)",
                    "EndpointConfig", "creates a SageMaker endpoint configuration",
                    "Notebook", "runs a SageMaker notebook job");

    private static final Set<String> EXECUTION_VARIABLES =
            Set.of(
                    "PipelineExecutionId",
                    "PipelineExecutionArn",
                    "PipelineName",
                    "PipelineArn",
                    "StartDateTime",
                    "CurrentDateTime");

    private final List<String> problems = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();
    private final Set<String> declaredParameters = new HashSet<>();
    private final ByoeImages images;
    private final boolean docker;

    private DefinitionReader(ByoeImages images, boolean docker) {
        this.images = images;
        this.docker = docker;
    }

    /**
     * Reads {@code json} with parameter {@code overrides}; {@code docker}: container steps with
     * other images may run in Docker.
     */
    public static PipelineDefinition read(
            JsonNode json, Map<String, String> overrides, ByoeImages images, boolean docker)
            throws DefinitionException {
        DefinitionReader reader = new DefinitionReader(images, docker);
        PipelineDefinition d = reader.parse(json, overrides);
        if (!reader.problems.isEmpty()) {
            throw new DefinitionException(reader.problems);
        }
        return d;
    }

    /**
     * Each step's {@code Arguments} against its SageMaker request shape ({@link StepKind#request});
     * values that are functions are checked when they are resolved, at run time.
     */
    public static List<String> checkRequests(PipelineDefinition d, ApiShapes shapes) {
        List<String> out = new ArrayList<>();
        for (Step s : d.steps()) {
            List<String> request = s.kind().request();
            if (request.isEmpty() || !shapes.has(request.get(0))) {
                continue;
            }
            JsonNode args = s.arguments().deepCopy();
            if (request.size() > 1 && args.isObject()) {
                // The pipeline names each job when it runs; any valid name stands for it here.
                ((com.fasterxml.jackson.databind.node.ObjectNode) args)
                        .put(request.get(1), "pipelines-job");
            }
            for (String p : shapes.check(request.get(0), args, Expressions::isFunction)) {
                out.add("step " + s.name() + ": Arguments." + p);
            }
        }
        return out;
    }

    private PipelineDefinition parse(JsonNode json, Map<String, String> overrides) {
        if (json == null || !json.isObject()) {
            problems.add("a definition is a JSON object with Version, Parameters and Steps");
            return null;
        }
        if (!json.path("Version").asText().equals("2020-12-01")) {
            problems.add(
                    "Version is '"
                            + json.path("Version").asText()
                            + "'; SageMaker Pipelines definitions are version 2020-12-01");
        }
        List<Parameter> parameters = parameters(json.path("Parameters"));
        Map<String, JsonNode> values = values(parameters, overrides);
        Map<String, JsonNode> steps = new LinkedHashMap<>();
        Map<String, String[]> branch = new HashMap<>();
        collect(json.path("Steps"), "Steps", null, true, steps, branch);
        if (steps.isEmpty()) {
            problems.add("Steps must list at least one step");
        }
        List<Step> parsed = new ArrayList<>();
        for (Map.Entry<String, JsonNode> e : steps.entrySet()) {
            String[] b = branch.get(e.getKey());
            Step s =
                    step(
                            e.getValue(),
                            steps,
                            values,
                            b == null ? null : b[0],
                            b != null && b[1] != null);
            if (s != null) {
                parsed.add(s);
            }
        }
        return new PipelineDefinition(json, parameters, values, order(parsed), List.copyOf(notes));
    }

    private List<Parameter> parameters(JsonNode node) {
        List<Parameter> out = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (JsonNode p : node) {
            String name = p.path("Name").asText();
            String where = "parameter '" + name + "'";
            if (!name.matches("[A-Za-z0-9\\-_]{1,64}")) {
                problems.add(where + ": a name is 1-64 letters, digits, - and _");
            }
            if (!names.add(name)) {
                problems.add(where + " is defined twice");
            }
            Parameter.Type type;
            try {
                type = Parameter.Type.valueOf(p.path("Type").asText("String"));
            } catch (IllegalArgumentException e) {
                problems.add(
                        where
                                + ": Type '"
                                + p.path("Type").asText()
                                + "' is not String, Integer, Float or Boolean");
                continue;
            }
            JsonNode def = p.get("DefaultValue");
            if (def != null && !type.accepts(def)) {
                problems.add(where + ": DefaultValue " + def + " is not a " + type);
            }
            out.add(new Parameter(name, type, def));
        }
        return out;
    }

    private Map<String, JsonNode> values(
            List<Parameter> parameters, Map<String, String> overrides) {
        Map<String, JsonNode> values = new LinkedHashMap<>();
        Set<String> known = new HashSet<>();
        for (Parameter p : parameters) {
            known.add(p.name());
            declaredParameters.add(p.name());
            String given = overrides.get(p.name());
            if (given != null) {
                try {
                    values.put(p.name(), p.type().parse(given));
                } catch (IllegalArgumentException e) {
                    problems.add("--parameter " + p.name() + "=" + given + ": " + e.getMessage());
                }
            } else if (p.defaultValue() != null) {
                values.put(p.name(), p.defaultValue());
            } else {
                problems.add(
                        "parameter '"
                                + p.name()
                                + "' has no DefaultValue: give it with --parameter "
                                + p.name()
                                + "=VALUE");
            }
        }
        for (String name : overrides.keySet()) {
            if (!known.contains(name)) {
                problems.add(
                        "--parameter "
                                + name
                                + ": the definition has no such parameter (it has "
                                + known
                                + ")");
            }
        }
        return values;
    }

    /** Every step, also those inside Condition steps, by name; {@code branch}: [condition, if?]. */
    private void collect(
            JsonNode list,
            String where,
            String condition,
            boolean ifBranch,
            Map<String, JsonNode> steps,
            Map<String, String[]> branch) {
        if (list.isMissingNode() && condition != null) {
            return; // a branch may be left out
        }
        if (!list.isArray()) {
            problems.add(where + " must be a list of steps");
            return;
        }
        for (JsonNode s : list) {
            String name = s.path("Name").asText("");
            if (!name.matches("[A-Za-z0-9\\-_]{1,64}")) {
                problems.add(
                        where + ": step name '" + name + "' must be 1-64 letters, digits, - and _");
                continue;
            }
            if (steps.put(name, s) != null) {
                problems.add("step name '" + name + "' is used twice");
            }
            if (condition != null) {
                branch.put(name, new String[] {condition, ifBranch ? "if" : null});
            }
            if (s.path("Type").asText().equals("Condition")) {
                collect(
                        s.path("Arguments").path("IfSteps"),
                        "step " + name + ": IfSteps",
                        name,
                        true,
                        steps,
                        branch);
                collect(
                        s.path("Arguments").path("ElseSteps"),
                        "step " + name + ": ElseSteps",
                        name,
                        false,
                        steps,
                        branch);
            }
        }
    }

    private Step step(
            JsonNode s,
            Map<String, JsonNode> all,
            Map<String, JsonNode> parameters,
            String condition,
            boolean ifBranch) {
        String name = s.path("Name").asText();
        String type = s.path("Type").asText();
        String where = "step " + name + " (" + type + ")";
        StepKind kind = StepKinds.of(type);
        if (kind == null) {
            String why = NOT_LOCAL.get(type);
            problems.add(
                    why != null
                            ? where + " cannot run on this machine: it " + why
                            : where
                                    + ": '"
                                    + type
                                    + "' is not a step type (local types: "
                                    + StepKinds.types()
                                    + ")");
            return null;
        }
        Set<String> dependsOn = new LinkedHashSet<>();
        for (JsonNode d : s.path("DependsOn")) {
            if (!all.containsKey(d.asText())) {
                problems.add(where + ": DependsOn names '" + d.asText() + "', which is not a step");
            }
            dependsOn.add(d.asText());
        }
        if (condition != null) {
            dependsOn.add(condition);
        }
        JsonNode arguments = s.path("Arguments");
        if (!arguments.isObject()) {
            problems.add(where + ": Arguments must be an object");
            return null;
        }
        JsonNode own = type.equals("Condition") ? arguments.path("Conditions") : arguments;
        Expressions.references(own, get -> reference(where, name, get, all, parameters, dependsOn));
        for (String field :
                List.of(
                        "ModelPackageGroupName",
                        "SuppliedBaselineConstraints",
                        "SuppliedBaselineStatistics",
                        "SkipCheck",
                        "RegisterNewBaseline")) {
            Expressions.references(
                    s.get(field), get -> reference(where, name, get, all, parameters, dependsOn));
        }
        if (type.equals("Condition")) {
            Conditions.check(arguments.path("Conditions"), where + ": Conditions", problems::add);
        }
        for (JsonNode image : kind.images(arguments)) {
            checkImage(where, image, parameters);
        }
        kind.check(s).forEach(p -> problems.add(where + ": " + p));
        return new Step(
                name,
                s,
                kind,
                Set.copyOf(dependsOn),
                cache(where, s.path("CacheConfig")),
                retries(where, s.path("RetryPolicies")),
                propertyFiles(s.path("PropertyFiles")),
                condition,
                ifBranch);
    }

    private void reference(
            String where,
            String self,
            String get,
            Map<String, JsonNode> all,
            Map<String, JsonNode> parameters,
            Set<String> dependsOn) {
        PropertyPath path;
        try {
            path = PropertyPath.parse(get);
        } catch (IllegalArgumentException e) {
            problems.add(where + ": Get " + e.getMessage());
            return;
        }
        String second = path.name(1);
        switch (path.root()) {
            case "Parameters" -> {
                if (second == null || !declaredParameters.contains(second)) {
                    problems.add(where + ": Get '" + get + "': no parameter '" + second + "'");
                }
            }
            case "Execution" -> {
                if (!EXECUTION_VARIABLES.contains(second)) {
                    problems.add(
                            where + ": Get '" + get + "': Execution has " + EXECUTION_VARIABLES);
                }
            }
            case "Steps" -> {
                JsonNode target = second == null ? null : all.get(second);
                if (target == null) {
                    problems.add(where + ": Get '" + get + "': no step '" + second + "'");
                    return;
                }
                if (second.equals(self)) {
                    problems.add(where + ": Get '" + get + "' reads the step's own properties");
                    return;
                }
                dependsOn.add(second);
                String property = path.name(2);
                StepKind kind = StepKinds.of(target.path("Type").asText());
                if (property != null && property.equals("PropertyFiles")) {
                    String file = path.name(3);
                    boolean declared = false;
                    for (JsonNode f : target.path("PropertyFiles")) {
                        declared |= f.path("PropertyFileName").asText().equals(file);
                    }
                    if (!declared) {
                        problems.add(
                                where
                                        + ": Get '"
                                        + get
                                        + "': step "
                                        + second
                                        + " declares no property file '"
                                        + file
                                        + "'");
                    }
                } else if (kind != null
                        && (property == null || !kind.properties().contains(property))) {
                    problems.add(
                            where
                                    + ": Get '"
                                    + get
                                    + "': a "
                                    + kind.type()
                                    + " step has no property '"
                                    + property
                                    + "' (it has "
                                    + new java.util.TreeSet<>(kind.properties())
                                    + ")");
                }
            }
            default ->
                    problems.add(
                            where
                                    + ": Get '"
                                    + get
                                    + "' must start with Parameters., Execution. or Steps.");
        }
    }

    private void checkImage(String where, JsonNode image, Map<String, JsonNode> parameters) {
        JsonNode value = image;
        if (Expressions.isFunction(image)) {
            String get = image.path("Get").asText("");
            value =
                    get.startsWith("Parameters.")
                            ? parameters.get(get.substring("Parameters.".length()))
                            : null;
            if (value == null) {
                problems.add(
                        where
                                + ": its image "
                                + image
                                + " must be known before the run (a literal or a parameter)");
                return;
            }
        }
        String uri = value.asText();
        if (!images.contains(uri) && !docker) {
            problems.add(
                    where
                            + ": image '"
                            + uri
                            + "' is not byoe's (a repository named byoe, or one given with --image); "
                            + "with --docker it would run in Docker");
        }
    }

    private Step.Cache cache(String where, JsonNode node) {
        if (node.isMissingNode() || !node.path("Enabled").asBoolean(false)) {
            return Step.Cache.OFF;
        }
        String expire = node.path("ExpireAfter").asText(null);
        if (expire == null) {
            return new Step.Cache(true, null);
        }
        try {
            return new Step.Cache(true, Duration.parse(expire));
        } catch (DateTimeParseException e) {
            try {
                return new Step.Cache(
                        true,
                        Duration.ofDays(
                                Period.parse(expire).toTotalMonths() * 30
                                        + Period.parse(expire).getDays()));
            } catch (DateTimeParseException e2) {
                problems.add(
                        where
                                + ": CacheConfig.ExpireAfter '"
                                + expire
                                + "' is not an ISO 8601 duration (as PT1H or P30D)");
                return Step.Cache.OFF;
            }
        }
    }

    private List<Step.Retry> retries(String where, JsonNode node) {
        List<Step.Retry> out = new ArrayList<>();
        for (JsonNode r : node) {
            Set<String> types = new HashSet<>();
            JsonNode t = r.path("ExceptionType");
            if (t.isArray()) {
                t.forEach(v -> types.add(v.asText()));
            } else if (t.isTextual()) {
                types.add(t.asText());
            }
            if (types.isEmpty()) {
                problems.add(where + ": a RetryPolicies entry needs ExceptionType");
            }
            int attempts = r.path("MaxAttempts").asInt(5);
            if (attempts < 1 || attempts > 20) {
                problems.add(where + ": RetryPolicies MaxAttempts " + attempts + " must be 1-20");
            }
            out.add(
                    new Step.Retry(
                            Set.copyOf(types),
                            r.path("IntervalSeconds").asLong(1),
                            r.path("BackoffRate").asDouble(2.0),
                            attempts));
        }
        return List.copyOf(out);
    }

    private static List<Step.PropertyFile> propertyFiles(JsonNode node) {
        List<Step.PropertyFile> out = new ArrayList<>();
        for (JsonNode f : node) {
            out.add(
                    new Step.PropertyFile(
                            f.path("PropertyFileName").asText(),
                            f.path("OutputName").asText(),
                            f.path("FilePath").asText()));
        }
        return List.copyOf(out);
    }

    /** Steps after their dependencies (Kahn's order, definition order among equals). */
    private List<Step> order(List<Step> steps) {
        Map<String, Step> byName = new LinkedHashMap<>();
        steps.forEach(s -> byName.put(s.name(), s));
        List<Step> out = new ArrayList<>();
        Set<String> done = new HashSet<>();
        boolean progress = true;
        while (out.size() < steps.size() && progress) {
            progress = false;
            for (Step s : steps) {
                if (!done.contains(s.name()) && done.containsAll(known(s.dependsOn(), byName))) {
                    out.add(s);
                    done.add(s.name());
                    progress = true;
                }
            }
        }
        if (out.size() < steps.size()) {
            List<String> cycle =
                    steps.stream().map(Step::name).filter(n -> !done.contains(n)).toList();
            problems.add("steps " + cycle + " depend on each other in a cycle");
        }
        return out;
    }

    private static Set<String> known(Set<String> names, Map<String, Step> byName) {
        Set<String> out = new HashSet<>(names);
        out.retainAll(byName.keySet());
        return out;
    }
}
