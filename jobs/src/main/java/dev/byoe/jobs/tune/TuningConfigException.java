package dev.byoe.jobs.tune;

import java.util.List;

/** The tuning config is invalid; every problem found is listed, each naming its JSON field. */
public final class TuningConfigException extends Exception {
    private final List<String> problems;

    public TuningConfigException(List<String> problems) {
        super("invalid tuning config:\n  - " + String.join("\n  - ", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
