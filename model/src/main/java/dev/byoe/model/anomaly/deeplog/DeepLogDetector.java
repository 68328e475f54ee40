package dev.byoe.model.anomaly.deeplog;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.byoe.core.Json;
import dev.byoe.model.WorkDeadline;
import dev.byoe.model.anomaly.AnomalyDetector;
import dev.byoe.model.anomaly.AnomalyScores;
import dev.byoe.model.anomaly.DetectorFormat;
import dev.byoe.model.anomaly.SessionBatch;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * DeepLog's verdict: each event of a session is checked against the top-{@code g} next events
 * predicted from the {@code h} before it (padded at the start); the score is the number of events
 * outside the top-{@code g}, and {@code minMisses} of them make the session anomalous. An event
 * that never came next in training is always a miss: when fewer than {@code g} events are plausible
 * after a window, the top-g list is filled with arbitrary unlikely ones, and an unseen (or unknown)
 * event must not pass by landing among them.
 *
 * <p>Windows repeat a lot in real logs, so each distinct window of a request goes through the LSTM
 * once, and the top-g set of each window already computed is kept in a bounded cache (both exact:
 * the same window always has the same answer).
 *
 * <p>The end of a session is one more predicted event, and it is also checked against where the
 * training sessions ended ({@link SessionEnds}): top-g alone admits an ending almost anywhere.
 *
 * <p>A window followed by what some normal training session had after that same window ({@link
 * KnownTransitions}) is never a miss, whatever the LSTM ranks it, the end included.
 */
public final class DeepLogDetector implements AnomalyDetector {
    static final String SETTINGS_FILE = "deeplog.json";

    /** Read back from {@code deeplog.json} and {@code lstm.bin}. */
    public static final DetectorFormat FORMAT =
            DetectorFormat.ofFiles("deeplog", "DeepLog", DeepLogDetector::load);

    public static final String WEIGHTS_FILE = "lstm.bin";
    static final String TRANSITIONS_FILE = "transitions.bin";
    private static final ObjectMapper JSON = Json.MAPPER;
    private static final int CACHE_LIMIT = 1 << 20;
    private static final int CHUNK = 1 << 16;

    /**
     * Windows per forward-pass call: the deadline is checked between calls, and a call takes the
     * pass that answers at that moment, so a long request changes to the vector pass as soon as it
     * takes over. A slice of windows on the scalar pass takes a few tens of ms when compiled.
     */
    private static final int SLICE = 1 << 10;

    private final DeepLogSettings settings;
    private final int eventCount;
    private final LstmForward forward;
    private final int classes;

    /** Classes that followed some window in training; any other event is always a miss. */
    private final boolean[] seenNext;

    /** Where training sessions ended; null for models saved before the end rule (top-g only). */
    private final SessionEnds ends;

    /** Per last event (padding for an empty session): whether a session may end after it. */
    private final boolean[] endAllowed;

    /** Pairs normal training sessions made; null when not used or saved before they were kept. */
    private final KnownTransitions known;

    private final int bitsPerEvent;

    /** Whether a window fits in a long key (for the per-request dedup and the cache). */
    private final boolean keyed;

    private final boolean cacheable;
    private final ConcurrentHashMap<Long, Long> topGCache = new ConcurrentHashMap<>();

    public DeepLogDetector(
            DeepLogSettings settings,
            int eventCount,
            LstmWeights weights,
            boolean[] seenNext,
            SessionEnds ends,
            KnownTransitions known) {
        this(settings, eventCount, LstmForward.of(weights), seenNext, ends, known);
    }

    /** With a forward pass another detector of the same weights built (and warmed up). */
    private DeepLogDetector(
            DeepLogSettings settings,
            int eventCount,
            LstmForward forward,
            boolean[] seenNext,
            SessionEnds ends,
            KnownTransitions known) {
        this.settings = settings;
        this.known = settings.knownTransitions() ? known : null;
        this.seenNext = seenNext.clone();
        this.ends = ends;
        this.endAllowed =
                ends != null && settings.endOfSession()
                        ? ends.allowed(settings.endMinShare())
                        : null;
        this.eventCount = eventCount;
        this.forward = forward;
        this.classes = settings.classes(eventCount);
        this.bitsPerEvent =
                32 - Integer.numberOfLeadingZeros(eventCount); // ids 0..eventCount (padding)
        // -Dbyoe.deeplog.windowCache=false turns the cache off: the benchmarks' baseline, where
        // the same lines are sent again and again; -Dbyoe.deeplog.distinctWindows=false also
        // sends every window of a request through the LSTM (the forward pass alone, measured).
        this.keyed =
                bitsPerEvent * settings.window() <= 63
                        && !"false".equals(System.getProperty("byoe.deeplog.distinctWindows"));
        this.cacheable =
                keyed
                        && classes <= 64
                        && !"false".equals(System.getProperty("byoe.deeplog.windowCache"));
    }

    @Override
    public String engine() {
        return "forward pass " + forward.kind();
    }

    /** The Vector API makes the forward pass SIMD ({@link LstmForward#of}). */
    @Override
    public List<String> jvmModules() {
        return List.of("jdk.incubator.vector");
    }

    @Override
    public String type() {
        return "deeplog";
    }

    @Override
    public boolean needsEventOrder() {
        return true; // it predicts each event from the ones before it
    }

    public DeepLogSettings settings() {
        return settings;
    }

    public LstmForward forward() {
        return forward;
    }

    @Override
    public AnomalyScores score(SessionBatch sessions) {
        int h = settings.window();
        int extra = settings.endOfSession() ? 1 : 0;
        Windows all = Windows.of(sessions, h, eventCount, settings.endOfSession());
        boolean[] miss = misses(all.inputs, all.next, all.count);
        double[] scores = new double[sessions.size()];
        int w = 0;
        for (int i = 0; i < scores.length; i++) {
            int[] events = sessions.events()[i];
            int m = 0;
            for (int t = 0; t < events.length + extra; t++, w++) {
                boolean flagged = miss[w] || (t == events.length && !endsNormally(events));
                if (flagged && !isKnown(all, w)) {
                    m++;
                }
            }
            scores[i] = m;
        }
        return new AnomalyScores(scores, settings.minMisses() - 0.5);
    }

    /**
     * Per session, the rank at which it turns anomalous: the {@code minMisses}-th largest rank of
     * its events among the predictions (0 = most likely; never-seen events rank at infinity). The
     * session is anomalous under top-g exactly when this is {@code >= g}, so one pass answers for
     * every g.
     */
    public int[] anomalyRanks(SessionBatch sessions) {
        int h = settings.window();
        int extra = settings.endOfSession() ? 1 : 0;
        Windows all = Windows.of(sessions, h, eventCount, settings.endOfSession());
        float[] logits = new float[all.count * classes];
        logits(all.inputs, 0, all.count, logits);
        int[] out = new int[sessions.size()];
        int w = 0;
        for (int i = 0; i < out.length; i++) {
            int len = sessions.events()[i].length + extra;
            int[] ranks = new int[len];
            for (int t = 0; t < len; t++, w++) {
                int next = all.next[w];
                boolean plausible =
                        seenNext[next]
                                && (t < sessions.events()[i].length
                                        || endsNormally(sessions.events()[i]));
                ranks[t] =
                        isKnown(all, w)
                                ? 0
                                : plausible ? rank(logits, w * classes, next) : Integer.MAX_VALUE;
            }
            java.util.Arrays.sort(ranks);
            int k = settings.minMisses();
            out[i] = len >= k ? ranks[len - k] : -1; // -1: too short to ever reach minMisses
        }
        return out;
    }

    /**
     * {@link LstmForward#logits} for {@code n} windows from {@code inputs[offset..]}, {@link
     * #SLICE} at a time, with the request's deadline checked before each.
     */
    private void logits(int[] inputs, int offset, int n, float[] out) {
        int h = settings.window();
        if (n <= SLICE) {
            WorkDeadline.check();
            forward.logits(inputs, offset, n, h, out);
            return;
        }
        float[] slice = new float[SLICE * classes];
        for (int from = 0; from < n; from += SLICE) {
            WorkDeadline.check();
            int m = Math.min(SLICE, n - from);
            forward.logits(inputs, offset + from * h, m, h, slice);
            System.arraycopy(slice, 0, out, from * classes, m * classes);
        }
    }

    /** Whether window {@code w} and its next event are a transition of the training sessions. */
    private boolean isKnown(Windows all, int w) {
        return known != null && known.contains(all.inputs, w * all.window, all.window, all.next[w]);
    }

    /** Whether a session may end where this one does (always, without the end rule). */
    private boolean endsNormally(int[] session) {
        return endAllowed == null || endAllowed[SessionEnds.lastEvent(session, eventCount)];
    }

    private int rank(float[] logits, int off, int c) {
        float v = logits[off + c];
        int above = 0;
        for (int d = 0; d < classes; d++) {
            float u = logits[off + d];
            if (u > v || (u == v && d < c)) {
                above++;
            }
        }
        return above;
    }

    /** The same model deciding with another top-g. */
    public DeepLogDetector withTopG(int g) {
        return new DeepLogDetector(
                settings.withTopG(g), eventCount, forward, seenNext, ends, known);
    }

    /** For each window, whether its next event falls outside the predicted top-g. */
    public boolean[] misses(int[] windows, int[] next, int n) {
        boolean[] out = new boolean[n];
        // In chunks: bounded scratch memory, and a deadline check between chunks.
        for (int from = 0; from < n; from += CHUNK) {
            WorkDeadline.check();
            misses(windows, next, from, Math.min(n, from + CHUNK), out);
        }
        return out;
    }

    /** {@link #misses(int[], int[], int)} for windows {@code from} (inclusive) to {@code to}. */
    private void misses(int[] windows, int[] next, int from, int to, boolean[] out) {
        int h = settings.window();
        int n = to - from;
        if (!keyed) {
            float[] logits = new float[n * classes];
            logits(windows, from * h, n, logits);
            for (int i = from; i < to; i++) {
                out[i] = miss(logits, (i - from) * classes, next[i]);
            }
            return;
        }
        // Each distinct window through the LSTM once: a request's sessions repeat the same
        // windows many times over (the answer depends on the window alone).
        Map<Long, Integer> slots = new HashMap<>();
        int[] slotOf = new int[n];
        long[] distinctKeys = null; // allocated at the first window not in the cache
        int[] distinct = null;
        int count = 0;
        for (int i = from; i < to; i++) {
            long key = 0;
            for (int k = 0; k < h; k++) {
                key = key << bitsPerEvent | windows[i * h + k];
            }
            Long mask = cacheable ? topGCache.get(key) : null;
            if (mask != null) {
                out[i] = miss(mask, next[i]);
                slotOf[i - from] = -1;
                continue;
            }
            Integer slot = slots.putIfAbsent(key, count);
            if (distinct == null) {
                distinct = new int[n * h];
                distinctKeys = new long[n];
            }
            if (slot == null) {
                slot = count;
                System.arraycopy(windows, i * h, distinct, count * h, h);
                distinctKeys[count++] = key;
            }
            slotOf[i - from] = slot;
        }
        if (count == 0) {
            return;
        }
        float[] logits = new float[count * classes];
        logits(distinct, 0, count, logits);
        // With the cache, each distinct window's top-g set is computed once, kept and used here.
        long[] masks = null;
        if (cacheable) {
            masks = new long[count];
            for (int d = 0; d < count; d++) {
                masks[d] = topGMask(logits, d * classes);
                if (topGCache.size() < CACHE_LIMIT) {
                    topGCache.put(distinctKeys[d], masks[d]);
                }
            }
        }
        for (int i = from; i < to; i++) {
            int slot = slotOf[i - from];
            if (slot >= 0) {
                out[i] =
                        masks != null
                                ? miss(masks[slot], next[i])
                                : miss(logits, slot * classes, next[i]);
            }
        }
    }

    /** Whether {@code next} is a miss after a window whose top-g set is {@code topG} (bits). */
    private boolean miss(long topG, int next) {
        return !seenNext[next] || (topG >>> next & 1) == 0;
    }

    /** Whether {@code next} is a miss after the window whose logits start at {@code off}. */
    private boolean miss(float[] logits, int off, int next) {
        return !seenNext[next] || !inTopG(logits, off, next);
    }

    /**
     * Bit {@code c} set when class {@code c} is among the {@code g} largest logits (ties by lower
     * id).
     */
    private long topGMask(float[] logits, int off) {
        long mask = 0;
        for (int c = 0; c < classes; c++) {
            if (inTopG(logits, off, c)) {
                mask |= 1L << c;
            }
        }
        return mask;
    }

    private boolean inTopG(float[] logits, int off, int c) {
        return rank(logits, off, c) < settings.topG();
    }

    @Override
    public void save(Path directory) throws IOException {
        ObjectNode root = JSON.createObjectNode();
        root.put("format", "byoe-deeplog/1");
        root.set("settings", JSON.valueToTree(settings));
        root.put("event_count", eventCount);
        root.set("seen_next", JSON.valueToTree(seenNext));
        if (ends != null) {
            root.set("session_ends", JSON.valueToTree(ends.counts()));
        }
        root.put("weights", WEIGHTS_FILE);
        if (known != null) {
            root.put("known_transitions", TRANSITIONS_FILE);
            try (OutputStream out =
                    new BufferedOutputStream(
                            Files.newOutputStream(directory.resolve(TRANSITIONS_FILE)))) {
                known.write(out);
            }
        }
        JSON.writerWithDefaultPrettyPrinter()
                .writeValue(directory.resolve(SETTINGS_FILE).toFile(), root);
        try (OutputStream out =
                new BufferedOutputStream(Files.newOutputStream(directory.resolve(WEIGHTS_FILE)))) {
            forward.weights().write(out);
        }
    }

    /** Reads a detector that {@link #save} wrote. */
    public static DeepLogDetector load(Path directory) throws IOException {
        JsonNode root = JSON.readTree(directory.resolve(SETTINGS_FILE).toFile());
        if (root == null || !"byoe-deeplog/1".equals(root.path("format").asText())) {
            throw new IOException(SETTINGS_FILE + " is not a byoe-deeplog/1 file");
        }
        DeepLogSettings s = JSON.treeToValue(root.get("settings"), DeepLogSettings.class);
        int events = root.get("event_count").asInt();
        LstmWeights weights;
        try (InputStream in =
                new BufferedInputStream(Files.newInputStream(directory.resolve(WEIGHTS_FILE)))) {
            weights = LstmWeights.read(in);
        }
        if (weights.classes() != s.classes(events)
                || weights.inputs() != events + 1
                || weights.hidden() != s.hidden()
                || weights.layers() != s.layers()) {
            throw new IOException(WEIGHTS_FILE + " does not match the shapes in " + SETTINGS_FILE);
        }
        boolean[] seen = JSON.treeToValue(root.get("seen_next"), boolean[].class);
        if (seen == null || seen.length != s.classes(events)) {
            throw new IOException(SETTINGS_FILE + ": seen_next missing or of the wrong length");
        }
        SessionEnds ends = null;
        if (root.has("session_ends")) {
            int[] counts = JSON.treeToValue(root.get("session_ends"), int[].class);
            if (counts == null || counts.length != events + 1) {
                throw new IOException(SETTINGS_FILE + ": session_ends of the wrong length");
            }
            ends = new SessionEnds(counts);
        }
        KnownTransitions known = null;
        if (root.has("known_transitions")) {
            Path file = directory.resolve(TRANSITIONS_FILE);
            try (InputStream in = new BufferedInputStream(Files.newInputStream(file))) {
                known = KnownTransitions.read(in, Files.size(file));
            }
        }
        return new DeepLogDetector(s, events, weights, seen, ends, known);
    }
}
