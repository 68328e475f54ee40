package dev.byoe.jobs.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@code Get} path as the definition JSON writes it: {@code Parameters.Threshold}, {@code
 * Execution.PipelineExecutionId}, {@code Steps.Train.FinalMetricDataList['validation:rmse'].Value},
 * {@code Steps.Tune.TrainingJobSummaries[0].TrainingJobName}. A name in brackets picks, from a
 * list, the element whose name field ({@code MetricName}, {@code OutputName}, ...) is that name.
 */
public record PropertyPath(String text, List<Object> segments) {
    /** The name fields a list element is picked by, as SageMaker's list shapes name them. */
    private static final List<String> NAME_FIELDS =
            List.of(
                    "MetricName",
                    "OutputName",
                    "InputName",
                    "ChannelName",
                    "PropertyFileName",
                    "Name");

    /** A segment in brackets with a name in quotes. */
    public record Key(String name) {}

    public static PropertyPath parse(String text) {
        List<Object> segments = new ArrayList<>();
        int i = 0;
        int n = text.length();
        while (i < n) {
            char c = text.charAt(i);
            if (c == '.') {
                i++;
            } else if (c == '[') {
                int close;
                if (i + 1 < n && (text.charAt(i + 1) == '\'' || text.charAt(i + 1) == '"')) {
                    char quote = text.charAt(i + 1);
                    int end = text.indexOf(quote, i + 2);
                    if (end < 0 || end + 1 >= n || text.charAt(end + 1) != ']') {
                        throw new IllegalArgumentException(
                                "'" + text + "': an unclosed [' at " + i);
                    }
                    segments.add(new Key(text.substring(i + 2, end)));
                    close = end + 1;
                } else {
                    close = text.indexOf(']', i);
                    if (close < 0) {
                        throw new IllegalArgumentException("'" + text + "': an unclosed [ at " + i);
                    }
                    try {
                        segments.add(Integer.parseInt(text.substring(i + 1, close).strip()));
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException(
                                "'"
                                        + text
                                        + "': ["
                                        + text.substring(i + 1, close)
                                        + "] is not an index");
                    }
                }
                i = close + 1;
            } else {
                int end = i;
                while (end < n && text.charAt(end) != '.' && text.charAt(end) != '[') {
                    end++;
                }
                segments.add(text.substring(i, end));
                i = end;
            }
        }
        if (segments.isEmpty() || !(segments.getFirst() instanceof String)) {
            throw new IllegalArgumentException("'" + text + "' is not a property path");
        }
        return new PropertyPath(text, List.copyOf(segments));
    }

    /** The first segment: {@code Parameters}, {@code Execution} or {@code Steps}. */
    public String root() {
        return (String) segments.getFirst();
    }

    /** The segment at {@code i} as a name, or {@code null}. */
    public String name(int i) {
        return i < segments.size() && segments.get(i) instanceof String s ? s : null;
    }

    /** The value at segments {@code from..} inside {@code node}; {@code null} when absent. */
    public JsonNode navigate(JsonNode node, int from) {
        JsonNode at = node;
        for (int i = from; i < segments.size() && at != null; i++) {
            Object s = segments.get(i);
            if (s instanceof String field) {
                at = at.get(field);
            } else if (s instanceof Integer index) {
                at = at.isArray() ? at.get(index < 0 ? at.size() + index : index) : null;
            } else {
                at = byName(at, ((Key) s).name());
            }
        }
        return at;
    }

    private static JsonNode byName(JsonNode node, String name) {
        if (node.isObject()) {
            return node.get(name);
        }
        for (JsonNode element : node) {
            for (String field : NAME_FIELDS) {
                if (name.equals(element.path(field).asText(null))) {
                    return element;
                }
            }
        }
        return null;
    }
}
