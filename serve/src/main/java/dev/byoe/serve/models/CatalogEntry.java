package dev.byoe.serve.models;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * One model of a multi-model endpoint: the model, where it came from, what it costs, when it was
 * last used, and the invocations using it now. An invocation holds a lease ({@link #acquire}) while
 * it computes; unloading ({@link #retire}) refuses new leases, waits for the held ones, then closes
 * the model.
 */
public final class CatalogEntry {
    /** Added to the lease count once the entry is retiring: the count stays negative from then. */
    private static final int RETIRING = Integer.MIN_VALUE;

    private final String name;
    private final String url;
    private final LoadedModel model;
    private final Footprint footprint;
    private final long loadNanos;
    private final long loadedAt = System.currentTimeMillis();
    private final AtomicInteger leases = new AtomicInteger();
    private final LongAdder invocations = new LongAdder();
    private volatile long lastUsedNanos = System.nanoTime();

    CatalogEntry(String name, String url, LoadedModel model, Footprint footprint, long loadNanos) {
        this.name = name;
        this.url = url;
        this.model = model;
        this.footprint = footprint;
        this.loadNanos = loadNanos;
    }

    /** A lease on the model for one invocation, or false once the model is being unloaded. */
    public boolean acquire() {
        while (true) {
            int n = leases.get();
            if (n < 0) {
                return false;
            }
            if (leases.compareAndSet(n, n + 1)) {
                lastUsedNanos = System.nanoTime();
                invocations.increment();
                return true;
            }
        }
    }

    public void release() {
        leases.decrementAndGet();
    }

    /**
     * Refuses new leases, waits until the held ones are released (at most {@code waitNanos}), then
     * closes the model.
     *
     * @return whether every lease was released in time
     */
    boolean retire(long waitNanos) throws InterruptedException {
        leases.addAndGet(RETIRING);
        long end = System.nanoTime() + waitNanos;
        boolean idle;
        while (!(idle = leases.get() == RETIRING) && System.nanoTime() - end < 0) {
            Thread.sleep(2);
        }
        model.close();
        return idle;
    }

    /** Closes a model that was never in the catalog (no invocation can hold it). */
    void close() {
        model.close();
    }

    boolean idle() {
        return leases.get() == 0;
    }

    public String name() {
        return name;
    }

    public String url() {
        return url;
    }

    public ServedModel served() {
        return model.served();
    }

    public String description() {
        return model.description();
    }

    public Footprint footprint() {
        return footprint;
    }

    /** The whole load: both copies, warm-up and measuring ({@link ModelCatalog}). */
    public double loadMillis() {
        return loadNanos / 1e6;
    }

    public long loadedAtMillis() {
        return loadedAt;
    }

    long lastUsedNanos() {
        return lastUsedNanos;
    }

    /** Milliseconds since the model was last invoked (or loaded). */
    public long idleMillis() {
        return (System.nanoTime() - lastUsedNanos) / 1_000_000;
    }

    public long invocations() {
        return invocations.sum();
    }

    /** Invocations holding the model now. */
    public int inFlight() {
        int n = leases.get();
        return n < 0 ? n - RETIRING : n;
    }
}
