package dev.byoe.jobs.tune;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One finished training job of a tuning job.
 *
 * @param hyperparameters the tuned values (what the strategy chose)
 * @param objective the latest objective value, or null
 * @param objectiveSeries every objective value in the order printed (one per epoch when the trainer
 *     prints per epoch)
 * @param neverMatched metric definitions that matched no line of this trial's output
 */
public record Trial(
        int number,
        String name,
        Candidate candidate,
        Map<String, String> hyperparameters,
        Status status,
        Double objective,
        List<Double> objectiveSeries,
        Map<String, Double> metrics,
        List<String> neverMatched,
        double seconds,
        String failureReason,
        boolean objectiveNeverMatched,
        Path root,
        Instant ended) {

    /** TrainingJobStatus values a tuning job reports for its training jobs. */
    public enum Status {
        Completed,
        Failed,
        Stopped
    }

    public Instant started() {
        return ended.minusNanos((long) (seconds * 1e9));
    }

    public Path model() {
        return root.resolve("model");
    }

    /** Lower is better, for strategies; null without an objective. */
    public Double score(boolean minimize) {
        return objective == null ? null : minimize ? objective : -objective;
    }
}
