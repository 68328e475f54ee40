package dev.byoe.training;

/**
 * The request to stop training (SIGTERM: StopTrainingJob, a spot interruption, the job's time
 * limit). Trainers that can stop cleanly check it at safe points (between minibatches, members or
 * folds), save what they can resume from, and throw {@link Stopped} saying what was kept. One
 * training job per process, so one flag per process.
 */
public final class TrainingStop {
    private static volatile boolean requested;
    private static final java.util.concurrent.atomic.AtomicInteger COOPERATING =
            new java.util.concurrent.atomic.AtomicInteger();

    /**
     * A stretch of training that checks {@link #requested()} often; closing it ends the stretch.
     */
    public interface Cooperation extends AutoCloseable {
        @Override
        void close();
    }

    private TrainingStop() {}

    public static void request() {
        requested = true;
    }

    public static boolean requested() {
        return requested;
    }

    /**
     * Marks training that will reach a safe point soon after a stop request (DeepLog, between
     * minibatches): worth waiting for, since it saves a checkpoint there.
     */
    public static Cooperation cooperating() {
        COOPERATING.incrementAndGet();
        return COOPERATING::decrementAndGet;
    }

    /** Whether a trainer that stops at safe points is running now. */
    public static boolean cooperative() {
        return COOPERATING.get() > 0;
    }

    /**
     * @throws Stopped when a stop was requested; {@code where} names the point reached
     */
    public static void check(String where) {
        if (requested) {
            throw new Stopped(where);
        }
    }

    /** Training ended early on request; the message says where, and what was saved. */
    public static final class Stopped extends RuntimeException {
        public Stopped(String message) {
            super(message, null, false, false);
        }
    }
}
