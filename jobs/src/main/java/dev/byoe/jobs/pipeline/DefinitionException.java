package dev.byoe.jobs.pipeline;

import java.util.List;

/** A definition refused before anything runs, with every problem found. */
public final class DefinitionException extends Exception {
    private final List<String> problems;

    public DefinitionException(List<String> problems) {
        super(String.join("; ", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
