package dev.byoe.core.data;

import java.util.List;

/**
 * The label column: its name, the objective, and for classifiers the class names in index order
 * (labels are stored as class indices; for binary, index 1 is the positive class).
 */
public record Target(String name, Objective objective, List<String> classes) {
    public Target {
        classes = List.copyOf(classes);
        if (objective == Objective.BINARY && classes.size() != 2) {
            throw new IllegalArgumentException(
                    "binary objective needs exactly 2 classes, got " + classes);
        }
        if (objective == Objective.MULTICLASS && classes.size() < 2) {
            throw new IllegalArgumentException(
                    "multiclass objective needs at least 2 classes, got " + classes);
        }
    }

    /**
     * Width of one prediction: 1 for regression and binary (P(positive)), the class count for
     * multiclass.
     */
    public int predictionWidth() {
        return objective == Objective.MULTICLASS ? classes.size() : 1;
    }
}
