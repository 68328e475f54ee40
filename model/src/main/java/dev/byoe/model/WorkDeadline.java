package dev.byoe.model;

import java.time.Duration;

/**
 * The time by which the current piece of work (one HTTP request) must be done. The server binds it
 * for the request's thread; long loops over rows, windows or lines call {@link #check()} now and
 * then, so that a request too big to answer in time ends with a clear error instead of holding a
 * worker past the caller's timeout. Unbound (training, tools), checks do nothing.
 */
public final class WorkDeadline {
    private static final ScopedValue<Long> DEADLINE = ScopedValue.newInstance();

    private WorkDeadline() {}

    /**
     * Runs {@code work} with a deadline of {@code System.nanoTime()}-based {@code deadlineNanos}.
     */
    public static <T, X extends Throwable> T within(
            long deadlineNanos, ScopedValue.CallableOp<T, X> work) throws X {
        return ScopedValue.where(DEADLINE, deadlineNanos).call(work);
    }

    /**
     * @throws Exceeded when the bound deadline has passed
     */
    public static void check() {
        if (DEADLINE.isBound() && System.nanoTime() - DEADLINE.get() > 0) {
            throw new Exceeded();
        }
    }

    /** The time left, or {@code null} when no deadline is bound. */
    public static Duration left() {
        return DEADLINE.isBound() ? Duration.ofNanos(DEADLINE.get() - System.nanoTime()) : null;
    }

    /** The work ran past its deadline and was abandoned. */
    public static final class Exceeded extends RuntimeException {
        public Exceeded() {
            super("the work did not finish before its deadline", null, false, false);
        }
    }
}
