package dev.byoe.serve.http;

import dev.byoe.serve.codec.HttpProblem;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Bounds the invocations that compute at once ({@code workers}) and those waiting for a turn
 * ({@code queue}). Past that, a request is refused at once with 503, so that a saturated endpoint
 * answers "busy, retry" in microseconds instead of letting latency grow without bound; a
 * waiting request also gives up when its deadline comes. Memory stays bounded too: only
 * {@code workers} requests hold decoded batches and model scratch space at a time.
 */
final class Admission {
    private final Semaphore workers;
    private final int permits;
    private final int queue;
    private final AtomicInteger waiting = new AtomicInteger();

    Admission(int workers, int queue) {
        this.workers = new Semaphore(workers, true);
        this.permits = workers;
        this.queue = queue;
    }

    /** Takes a worker, waiting until {@code deadlineNanos} at most; release it with {@link #exit()}. */
    void enter(long deadlineNanos) throws InterruptedException {
        if (workers.tryAcquire()) {
            return;
        }
        if (waiting.incrementAndGet() > queue) {
            waiting.decrementAndGet();
            throw new HttpProblem(503, "the endpoint is busy (" + permits + " requests computing, " + queue
                    + " waiting); retry shortly, or add instances");
        }
        try {
            long wait = deadlineNanos - System.nanoTime();
            if (wait <= 0 || !workers.tryAcquire(wait, TimeUnit.NANOSECONDS)) {
                throw new HttpProblem(503, "the request waited until its deadline for a free worker; the endpoint is "
                        + "overloaded; retry shortly, or add instances");
            }
        } finally {
            waiting.decrementAndGet();
        }
    }

    void exit() {
        workers.release();
    }
}
