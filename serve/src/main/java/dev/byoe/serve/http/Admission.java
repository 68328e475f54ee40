package dev.byoe.serve.http;

import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Bounds the invocations that compute at once, by count ({@code workers}) and by the working memory
 * their bodies are estimated to need ({@code workingBytes}), and those waiting for a turn ({@code
 * queue}). Past that, a request is refused at once with 503, so that a saturated endpoint answers
 * "busy, retry" in microseconds instead of letting latency grow without bound; a waiting request
 * also gives up when its deadline comes. Counting bytes as well as requests keeps a few large valid
 * bodies (decoded JSON takes several times its size) from driving a small container to its memory
 * limit; a request larger than the whole budget still runs, alone.
 */
final class Admission {
    private final Semaphore workers;
    private final int permits;
    private final int queue;
    private final long workingBytes;
    private final AtomicInteger waiting = new AtomicInteger();
    private long bytesInUse; // guarded by this

    Admission(int workers, int queue, long workingBytes) {
        this.workers = new Semaphore(workers, true);
        this.permits = workers;
        this.queue = queue;
        this.workingBytes = workingBytes;
    }

    /**
     * Takes a worker and {@code cost} bytes of the working-memory budget, waiting until {@code
     * deadlineNanos} at most; give both back with {@link #exit(long)} and the value returned.
     */
    long enter(long deadlineNanos, long cost) throws InterruptedException {
        long bytes = Math.min(Math.max(cost, 0), workingBytes);
        if (workers.tryAcquire()) {
            if (takeBytes(bytes, 0)) {
                return bytes;
            }
            workers.release();
        }
        if (waiting.incrementAndGet() > queue) {
            waiting.decrementAndGet();
            throw new HttpProblem(
                    503,
                    "the endpoint is busy ("
                            + permits
                            + " requests computing, "
                            + queue
                            + " waiting); retry shortly, or add instances");
        }
        try {
            long wait = deadlineNanos - System.nanoTime();
            if (wait <= 0 || !workers.tryAcquire(wait, TimeUnit.NANOSECONDS)) {
                throw overloaded("a free worker");
            }
            if (!takeBytes(bytes, deadlineNanos)) {
                workers.release();
                throw overloaded(
                        "memory for its body ("
                                + (workingBytes >> 20)
                                + " MB of working memory are in use; "
                                + "BYOE_MAX_WORKING_MB)");
            }
            return bytes;
        } finally {
            waiting.decrementAndGet();
        }
    }

    /** Invocations waiting for a worker or for working memory now. */
    int waiting() {
        return waiting.get();
    }

    void exit(long bytes) {
        synchronized (this) {
            bytesInUse -= bytes;
            notifyAll();
        }
        workers.release();
    }

    /** Whether {@code bytes} could be taken before {@code deadlineNanos} (0: without waiting). */
    private synchronized boolean takeBytes(long bytes, long deadlineNanos)
            throws InterruptedException {
        while (bytesInUse + bytes > workingBytes) {
            long wait = deadlineNanos == 0 ? 0 : deadlineNanos - System.nanoTime();
            if (wait <= 0) {
                return false;
            }
            TimeUnit.NANOSECONDS.timedWait(this, wait);
        }
        bytesInUse += bytes;
        return true;
    }

    private static HttpProblem overloaded(String what) {
        return new HttpProblem(
                503,
                "the request waited until its deadline for "
                        + what
                        + "; the endpoint is overloaded; retry shortly, or add instances");
    }
}
