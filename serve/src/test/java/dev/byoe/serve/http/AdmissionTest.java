package dev.byoe.serve.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class AdmissionTest {
    private static long soon(long millis) {
        return System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
    }

    @Test
    void bytesInFlightBoundWorkEvenWithWorkersFree() throws Exception {
        Admission a = new Admission(8, 0, 100);
        long first = a.enter(soon(1000), 60);
        assertEquals(60, first);
        // Seven workers are free, but 60 + 60 bytes exceed the budget: with no queue, refused at
        // once.
        HttpProblem busy = assertThrows(HttpProblem.class, () -> a.enter(soon(1000), 60));
        assertEquals(503, busy.status());
        long small = a.enter(soon(1000), 40);
        a.exit(small);
        a.exit(first);
        assertEquals(60, a.enter(soon(1000), 60), "free again once the first request is done");
    }

    @Test
    void aRequestLargerThanTheBudgetRunsAlone() throws Exception {
        Admission a = new Admission(4, 4, 100);
        long whole = a.enter(soon(1000), 10_000);
        assertEquals(100, whole, "capped at the budget, so it can still run");
        long start = System.nanoTime();
        HttpProblem late = assertThrows(HttpProblem.class, () -> a.enter(soon(200), 1));
        assertTrue(late.getMessage().contains("memory"), late.getMessage());
        assertTrue(
                System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(150),
                "it waited for its deadline");
        a.exit(whole);
        a.exit(a.enter(soon(1000), 1));
    }

    @Test
    void aWaiterGetsInWhenBytesAreReleased() throws Exception {
        Admission a = new Admission(2, 2, 100);
        long held = a.enter(soon(1000), 90);
        Thread releaser =
                new Thread(
                        () -> {
                            try {
                                Thread.sleep(100);
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                            a.exit(held);
                        });
        releaser.start();
        assertEquals(50, a.enter(soon(5000), 50));
        releaser.join();
    }
}
