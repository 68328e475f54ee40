package dev.byoe.training.anomaly;

import java.nio.file.Path;
import java.util.Map;
import java.util.function.Consumer;

/**
 * What a log member's training may use besides its data: the number of event ids, labelled
 * validation sessions (or null: what the job reports on), labelled held-out sessions a member may
 * choose its own settings on ({@code tuning}, or null: never the validation sessions when the job
 * holds out others), a folder for checkpoints (or null), a log, and a listener for per-epoch
 * figures (printed as metric lines, so tuners can stop a job early).
 */
public record TrainingContext(
        int eventCount,
        LabelledSessions validation,
        LabelledSessions tuning,
        Path checkpoints,
        Consumer<String> log,
        EpochListener epochs) {

    /**
     * Receives the figures of each finished epoch, e.g. {@code train-loss}, {@code validation-f1}.
     */
    @FunctionalInterface
    public interface EpochListener {
        void epoch(String member, int epoch, Map<String, Double> figures);
    }
}
