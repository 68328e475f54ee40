package dev.byoe.training.xgboost;

import dev.byoe.model.member.MemberException;
import java.time.Duration;
import java.util.Map;
import ml.dmlc.xgboost4j.java.RabitTracker;
import ml.dmlc.xgboost4j.java.XGBoostError;

/**
 * XGBoost's own tracker, run by the leader of a multi-host job: the workers of every host connect
 * to it with {@link #workerArguments()} and XGBoost's collective does the rest (ranks, ring,
 * allreduce of histograms and metrics).
 */
public final class XGBoostTracker implements AutoCloseable {
    static {
        dev.byoe.model.NativeLibraries.preloadXGBoost();
    }

    private final RabitTracker tracker;
    private final Map<String, Object> workerArguments;

    private XGBoostTracker(RabitTracker tracker, Map<String, Object> workerArguments) {
        this.tracker = tracker;
        this.workerArguments = workerArguments;
    }

    /**
     * Starts a tracker for {@code workers} hosts listening on {@code address} (which every host
     * must reach), on a free port.
     *
     * @param timeout how long the tracker waits for every worker to connect
     */
    public static XGBoostTracker start(int workers, String address, Duration timeout)
            throws MemberException {
        try {
            RabitTracker tracker = new RabitTracker(workers, address, 0, (int) timeout.toSeconds());
            if (!tracker.start()) {
                throw new MemberException("XGBoost's tracker did not start on " + address);
            }
            return new XGBoostTracker(tracker, Map.copyOf(tracker.getWorkerArgs()));
        } catch (XGBoostError e) {
            throw new MemberException(
                    "XGBoost's tracker could not start on " + address + ": " + e.getMessage(), e);
        }
    }

    /** What each worker passes to XGBoost's communicator to join (tracker address and port). */
    public Map<String, Object> workerArguments() {
        return workerArguments;
    }

    @Override
    public void close() {
        try {
            tracker.stop();
        } catch (XGBoostError e) {
            // Stopping a tracker whose workers are gone cannot fail the job any further.
        }
    }
}
