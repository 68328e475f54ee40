package dev.byoe.serve.http;

import java.time.Duration;

/** Counts invocations being handled, so that a shutdown can wait for them to finish. */
final class InFlight {
    private int count;

    synchronized void enter() {
        count++;
    }

    synchronized void exit() {
        count--;
        if (count == 0) {
            notifyAll();
        }
    }

    /** Waits until nothing is in flight or {@code limit} has passed; true when nothing is left. */
    synchronized boolean awaitIdle(Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (count > 0) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            wait(Math.max(1, left / 1_000_000));
        }
        return true;
    }

    synchronized int count() {
        return count;
    }
}
