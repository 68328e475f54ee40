package dev.byoe.jobs.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.Locale;

/** A pipeline parameter: its name, type and default ({@code null} when it has none). */
public record Parameter(String name, Type type, JsonNode defaultValue) {
    /** The parameter types of the definition language. */
    public enum Type {
        String,
        Integer,
        Float,
        Boolean;

        /** {@code text} as a value of this type; refuses text that is not one. */
        public JsonNode parse(String text) {
            JsonNodeFactory f = JsonNodeFactory.instance;
            try {
                return switch (this) {
                    case String -> f.textNode(text);
                    case Integer -> f.numberNode(Long.parseLong(text.strip()));
                    case Float -> f.numberNode(Double.parseDouble(text.strip()));
                    case Boolean -> {
                        String t = text.strip().toLowerCase(Locale.ROOT);
                        if (!t.equals("true") && !t.equals("false")) {
                            throw new NumberFormatException();
                        }
                        yield f.booleanNode(t.equals("true"));
                    }
                };
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(
                        "'" + text + "' is not " + (this == Integer ? "an " : "a ") + name());
            }
        }

        /** Whether {@code value} (a default in the definition) is of this type. */
        public boolean accepts(JsonNode value) {
            return switch (this) {
                case String -> value.isTextual();
                case Integer -> value.isIntegralNumber();
                case Float -> value.isNumber();
                case Boolean -> value.isBoolean();
            };
        }
    }
}
