package dev.byoe.model.anomaly.deeplog;

import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The scalar pass until the vector pass is compiled, then the vector pass. Vector API code is slow
 * until C2 compiles it (a vector is an object and every lane operation a call), and the warm-up
 * request a DeepLog model answers before it is called ready ran it uncompiled, many times as long
 * as on the scalar pass, which every DeepLog start waited for. Here the first call starts a thread
 * that loads the Vector API module, builds the vector pass and runs both passes on the same windows
 * until the vector one is the faster, each judged on its fastest of the last few rounds; from then
 * on it answers. The two give the same bits ({@link ScalarLstmForward}), so when the hand-over
 * happens changes no answer; the thread checks that on every window it runs, and should they ever
 * differ the scalar pass stays and the log says why.
 */
final class WarmingLstmForward extends LstmForward {
    private static final Logger LOG = LoggerFactory.getLogger(WarmingLstmForward.class);

    /**
     * Rounds each pass is judged by, on its fastest: a round that lost the CPU half-way (a busy
     * server has more threads than cores) says nothing about the code.
     */
    static final int ROUNDS_JUDGED = 5;

    /** Windows per round: two of the narrow kernel's blocks of six and a lone window. */
    private static final int WINDOWS = 13;

    /**
     * Rounds follow each other at once for this long; after it, with a pause between them. A server
     * busy from its first second keeps the JIT's threads busy too, so the vector pass can take many
     * seconds to be compiled, and the rounds should not hold a core all that time.
     */
    private static final Duration AT_ONCE = Duration.ofSeconds(5);

    private static final Duration PAUSE = Duration.ofMillis(20);

    /** After this the scalar pass stays: the vector one is not faster on this machine. */
    private static final Duration GIVE_UP = Duration.ofMinutes(5);

    private final LstmForward scalar;
    private final Supplier<LstmForward> vectorPass;
    private final AtomicBoolean started = new AtomicBoolean();

    /** The pass that answers from the end of the warm-up on; the scalar pass answers until then. */
    private final CompletableFuture<LstmForward> settled = new CompletableFuture<>();

    /**
     * @param vectorPass builds the vector pass, or gives null where this JVM cannot run it; called
     *     on the warm-up thread, so the module and its classes load there
     */
    WarmingLstmForward(LstmForward scalar, Supplier<LstmForward> vectorPass) {
        super(scalar.weights());
        this.scalar = scalar;
        this.vectorPass = vectorPass;
    }

    @Override
    public String kind() {
        return settled.isDone()
                ? settled.join().kind()
                : "scalar until the vector pass is compiled";
    }

    @Override
    public void logits(int[] inputs, int offset, int n, int window, float[] out) {
        if (started.compareAndSet(false, true)) {
            Thread.ofPlatform()
                    .daemon()
                    .name("byoe-deeplog-warm-up")
                    .start(
                            () -> {
                                try {
                                    settled.complete(warmUp(window));
                                } catch (RuntimeException | LinkageError e) {
                                    LOG.warn(
                                            "DeepLog: the vector pass's warm-up failed ({}); the"
                                                    + " scalar pass answers",
                                            e.toString());
                                    settled.complete(scalar);
                                }
                            });
        }
        settled.getNow(scalar).logits(inputs, offset, n, window, out);
    }

    /** The scalar pass if the warm-up has not started, or not ended within {@code timeout}. */
    @Override
    public LstmForward settled(Duration timeout) throws InterruptedException {
        try {
            return settled.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            return settled.getNow(scalar);
        }
    }

    private LstmForward warmUp(int window) {
        long start = System.nanoTime();
        LstmForward vector = vectorPass.get();
        if (vector == null) {
            LOG.info(
                    "DeepLog: no vector pass here (no Vector API in this JVM, or a hidden size that"
                            + " is not a whole number of vectors); the scalar pass answers");
            return scalar;
        }
        int classes = w.classes();
        int pad = w.inputs() - 1;
        int[] inputs = new int[WINDOWS * window];
        float[] fromVector = new float[WINDOWS * classes];
        float[] fromScalar = new float[WINDOWS * classes];
        Random random = new Random(window);
        long[] vectorNanos = new long[ROUNDS_JUDGED];
        long[] scalarNanos = new long[ROUNDS_JUDGED];
        int rounds = 0;
        while (rounds < ROUNDS_JUDGED || min(vectorNanos) >= min(scalarNanos)) {
            long spent = System.nanoTime() - start;
            if (spent > AT_ONCE.toNanos()) {
                try {
                    Thread.sleep(PAUSE);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return scalar;
                }
            }
            if (spent > GIVE_UP.toNanos()) {
                LOG.info(
                        "DeepLog: the vector pass ({}) was not faster than the scalar pass in {}"
                                + " rounds; the scalar pass answers",
                        vector.kind(),
                        rounds);
                return scalar;
            }
            // Windows as sessions make them: some padding first (a session's first events), then
            // ids.
            for (int i = 0; i < WINDOWS; i++) {
                int lead = random.nextInt(window + 1);
                for (int t = 0; t < window; t++) {
                    inputs[i * window + t] = t < lead ? pad : random.nextInt(pad);
                }
            }
            long t0 = System.nanoTime();
            vector.logits(inputs, 0, WINDOWS, window, fromVector);
            long t1 = System.nanoTime();
            scalar.logits(inputs, 0, WINDOWS, window, fromScalar);
            long t2 = System.nanoTime();
            vectorNanos[rounds % ROUNDS_JUDGED] = t1 - t0;
            scalarNanos[rounds % ROUNDS_JUDGED] = t2 - t1;
            rounds++;
            int differs = Arrays.mismatch(fromVector, fromScalar);
            if (differs >= 0) {
                LOG.warn(
                        "DeepLog: the vector pass ({}) gave {} where the scalar pass gave {} (window {},"
                                + " logit {}); the scalar pass answers",
                        vector.kind(),
                        fromVector[differs],
                        fromScalar[differs],
                        differs / classes,
                        differs % classes);
                return scalar;
            }
        }
        LOG.info(
                "DeepLog: the vector pass ({}) answers from now on: {} us against the scalar"
                        + " pass's {} us for {} windows (fastest of the last {} rounds), after {} ms"
                        + " of warm-up ({} rounds, the same bits on all {} windows)",
                vector.kind(),
                min(vectorNanos) / 1000,
                min(scalarNanos) / 1000,
                WINDOWS,
                ROUNDS_JUDGED,
                (System.nanoTime() - start) / 1_000_000,
                rounds,
                rounds * WINDOWS);
        return vector;
    }

    private static long min(long[] nanos) {
        return Arrays.stream(nanos).min().orElseThrow();
    }
}
