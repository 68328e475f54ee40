package dev.byoe.jobs.pipeline;

import java.util.List;

/** The step types that run here, one line each. */
public final class StepKinds {
    private static final List<StepKind> ALL =
            List.of(
                    new ProcessingStep(),
                    new TrainingStep(),
                    new TuningStep(),
                    new ModelStep("Model"),
                    new ModelStep("CreateModel"),
                    new RegisterModelStep(),
                    new TransformStep(),
                    new ConditionStep(),
                    new FailStep(),
                    new QualityCheckStep());

    private StepKinds() {}

    /** The kind that runs {@code type}, or {@code null}. */
    public static StepKind of(String type) {
        return ALL.stream().filter(k -> k.type().equals(type)).findFirst().orElse(null);
    }

    public static List<String> types() {
        return ALL.stream().map(StepKind::type).toList();
    }
}
