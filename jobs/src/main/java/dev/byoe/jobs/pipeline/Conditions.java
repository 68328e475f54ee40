package dev.byoe.jobs.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * A Condition step's {@code Conditions}, all of which must hold: {@code Equals}, {@code NotEquals},
 * {@code GreaterThan(OrEqualTo)}, {@code LessThan(OrEqualTo)} of {@code LeftValue} and {@code
 * RightValue}; {@code In} ({@code QueryValue}, {@code Values}); {@code Not} ({@code Condition});
 * {@code Or} ({@code Conditions}).
 */
public final class Conditions {
    private static final Set<String> BINARY =
            Set.of(
                    "Equals",
                    "NotEquals",
                    "GreaterThan",
                    "GreaterThanOrEqualTo",
                    "LessThan",
                    "LessThanOrEqualTo");

    private Conditions() {}

    /** Problems of a list of conditions as written (types and members), each naming its place. */
    public static void check(JsonNode conditions, String where, Consumer<String> problem) {
        if (!conditions.isArray() || conditions.isEmpty()) {
            problem.accept(where + ": Conditions must be a non-empty list");
            return;
        }
        for (int i = 0; i < conditions.size(); i++) {
            checkOne(conditions.get(i), where + "[" + i + "]", problem);
        }
    }

    private static void checkOne(JsonNode c, String where, Consumer<String> problem) {
        String type = c.path("Type").asText();
        if (BINARY.contains(type)) {
            for (String side : List.of("LeftValue", "RightValue")) {
                if (!c.has(side)) {
                    problem.accept(where + " (" + type + "): " + side + " is missing");
                }
            }
        } else if (type.equals("In")) {
            if (!c.has("QueryValue") || !c.path("Values").isArray()) {
                problem.accept(where + " (In): needs QueryValue and a list of Values");
            }
        } else if (type.equals("Not")) {
            checkOne(c.path("Condition"), where + ".Condition", problem);
        } else if (type.equals("Or")) {
            check(c.path("Conditions"), where + ".Conditions", problem);
        } else {
            problem.accept(
                    where
                            + ": condition type '"
                            + type
                            + "' is not one of "
                            + BINARY
                            + ", In, Not, Or");
        }
    }

    /** Whether every condition in {@code resolved} (functions already replaced) holds. */
    public static boolean all(JsonNode resolved) {
        for (JsonNode c : resolved) {
            if (!holds(c)) {
                return false;
            }
        }
        return true;
    }

    private static boolean holds(JsonNode c) {
        String type = c.path("Type").asText();
        return switch (type) {
            case "Equals" -> same(c.get("LeftValue"), c.get("RightValue"));
            case "NotEquals" -> !same(c.get("LeftValue"), c.get("RightValue"));
            case "GreaterThan" -> compare(c) > 0;
            case "GreaterThanOrEqualTo" -> compare(c) >= 0;
            case "LessThan" -> compare(c) < 0;
            case "LessThanOrEqualTo" -> compare(c) <= 0;
            case "In" -> {
                for (JsonNode v : c.path("Values")) {
                    if (same(c.get("QueryValue"), v)) {
                        yield true;
                    }
                }
                yield false;
            }
            case "Not" -> !holds(c.get("Condition"));
            case "Or" -> {
                for (JsonNode inner : c.path("Conditions")) {
                    if (holds(inner)) {
                        yield true;
                    }
                }
                yield false;
            }
            default -> throw new IllegalArgumentException("condition type '" + type + "'");
        };
    }

    private static boolean same(JsonNode a, JsonNode b) {
        Double x = number(a);
        Double y = number(b);
        if (x != null && y != null) {
            return x.doubleValue() == y.doubleValue();
        }
        return Expressions.text(a).equals(Expressions.text(b));
    }

    private static int compare(JsonNode c) {
        JsonNode left = c.get("LeftValue");
        JsonNode right = c.get("RightValue");
        Double x = number(left);
        Double y = number(right);
        if (x == null || y == null) {
            throw new IllegalArgumentException(
                    c.path("Type").asText() + " compares numbers; got " + left + " and " + right);
        }
        return Double.compare(x, y);
    }

    /** A number, or a string that is one (property files hold either); else {@code null}. */
    private static Double number(JsonNode v) {
        if (v.isNumber()) {
            return v.asDouble();
        }
        if (v.isTextual()) {
            try {
                return Double.parseDouble(v.textValue().strip());
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return null;
    }
}
