package dev.byoe.app;

import java.time.Duration;
import java.util.concurrent.Callable;

/** Waits for a server's log to say something it says some time after it is healthy. */
final class LogWait {
    /** The text DeepLog's forward pass logs when the vector pass takes over from the scalar one. */
    static final String VECTOR_PASS_ANSWERS = "answers from now on";

    private LogWait() {}

    /** The log once it contains {@code text}; fails with the log after {@code timeout}. */
    static String until(Callable<String> log, String text, Duration timeout) throws Exception {
        long end = System.nanoTime() + timeout.toNanos();
        String now = log.call();
        while (!now.contains(text)) {
            if (System.nanoTime() > end) {
                throw new AssertionError(
                        "no \"" + text + "\" in the log after " + timeout + ": " + now);
            }
            Thread.sleep(100);
            now = log.call();
        }
        return now;
    }
}
