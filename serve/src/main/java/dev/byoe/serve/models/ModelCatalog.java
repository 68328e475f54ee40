package dev.byoe.serve.models;

import dev.byoe.serve.models.CatalogProblem.Kind;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The models of a multi-model endpoint, by the opaque name SageMaker gives each. Loads run one at a
 * time (so that each one's memory is measured alone) and never block invocations: those only look a
 * model up and take a lease on it. A model that does not fit in the {@link MemoryBudget} makes the
 * least recently used idle models go first; if that is not enough it is refused ({@link
 * Kind#NO_ROOM}, SageMaker's 507, after which SageMaker unloads models itself and retries).
 */
public final class ModelCatalog implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ModelCatalog.class);

    /** SageMaker's model names are short; this bounds what a caller can make the server hold. */
    static final int MAX_NAME_LENGTH = 1024;

    private final Map<String, CatalogEntry> models = new ConcurrentHashMap<>();

    private final ReentrantLock loading = new ReentrantLock();
    private final MemoryBudget budget;
    private final Duration unloadWait;
    private final CatalogEvents events;

    /**
     * @param unloadWait how long an unload waits for the invocations holding the model (the request
     *     deadline: none holds it longer)
     */
    public ModelCatalog(MemoryBudget budget, Duration unloadWait, CatalogEvents events) {
        this.budget = budget;
        this.unloadWait = unloadWait;
        this.events = events;
    }

    public MemoryBudget budget() {
        return budget;
    }

    /**
     * Loads the model folder {@code url} as {@code name}, measuring what it holds, and makes room
     * for it.
     */
    public CatalogEntry load(String name, String url) throws InterruptedException {
        checkName(name);
        Path dir = folder(url);
        loading.lockInterruptibly();
        try {
            if (models.containsKey(name)) {
                throw new CatalogProblem(
                        Kind.LOADED_ALREADY,
                        "a model named \"" + name + "\" is loaded already; unload it first");
            }
            CatalogEntry entry = measuredLoad(name, url, dir);
            try {
                makeRoom(entry);
            } catch (CatalogProblem | InterruptedException e) {
                entry.close();
                throw e;
            }
            models.put(name, entry);
            events.loaded(entry);
            Footprint footprint = entry.footprint();
            LOG.info(
                    "loaded \"{}\" from {} in {} ms: {}; holds {} (heap {}, native {}); {} models hold {} of {}",
                    name,
                    url,
                    Math.round(entry.loadMillis()),
                    entry.description(),
                    Footprint.megabytes(footprint.bytes()),
                    Footprint.megabytes(footprint.heapBytes()),
                    Footprint.megabytes(footprint.nativeBytes()),
                    models.size(),
                    Footprint.megabytes(residentBytes()),
                    Footprint.megabytes(budget.bytes()));
            return entry;
        } finally {
            loading.unlock();
        }
    }

    /**
     * Loads {@code dir}, keeps one copy, and measures what it holds. The heap part is the kept
     * copy's objects, walked ({@link HeapSize}). Beside the heap: what the C allocator gets back
     * when another copy closes (XGBoost's memory, for one). A close takes well under a millisecond,
     * so the figure is the model's own, while over a whole load (tens of milliseconds) the JIT's
     * compiler threads alone take and return megabytes of the same allocator; a close can still
     * coincide with them, so {@link #MEASURES} copies are closed and the median counts. The first
     * copy also absorbs what the first model of its kind sets up once for all (the native
     * libraries' own state). A library with an allocator of its own (CatBoost's, when it scores a
     * member) is invisible to that count, so such a model is counted beside the heap at least at
     * its files minus its heap part.
     */
    private static CatalogEntry measuredLoad(String name, String url, Path dir) {
        long start = System.nanoTime();
        // The first copy absorbs what the first model of its kind sets up once for all.
        LoadedModel twin = load(dir);
        LoadedModel model;
        try {
            model = load(dir);
        } catch (CatalogProblem e) {
            twin.close();
            throw e;
        }
        long[] freed = new long[MEASURES];
        for (int i = 0; i < MEASURES; i++) {
            if (i > 0) {
                twin = load(dir);
            }
            long before = NativeMemory.inUse();
            twin.close();
            freed[i] = before - NativeMemory.inUse();
        }
        java.util.Arrays.sort(freed);
        long median = freed[MEASURES / 2];
        long heapBytes = HeapSize.of(model.served());
        // Only a library with its own allocator needs the files' floor: trees walked in Java are
        // all in the heap part, and counting their files again would shrink the catalog.
        long floor = model.served().holdsUncountedNativeMemory() ? folderBytes(dir) - heapBytes : 0;
        long nativeBytes = Math.max(median, floor);
        long loadNanos = System.nanoTime() - start;
        return new CatalogEntry(
                name, url, model, new Footprint(heapBytes, Math.max(0, nativeBytes)), loadNanos);
    }

    /** Copies loaded and closed to measure a model; the median of their closes counts. */
    static final int MEASURES = 3;

    private static LoadedModel load(Path dir) {
        try {
            return ModelLoader.load(dir);
        } catch (IllegalStateException e) {
            Kind kind = e.getCause() instanceof LinkageError ? Kind.RUNTIME : Kind.BAD_MODEL;
            throw new CatalogProblem(kind, e.getMessage());
        }
    }

    private static long folderBytes(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(ModelCatalog::size).sum();
        } catch (IOException | UncheckedIOException e) {
            return 0;
        }
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return 0;
        }
    }

    /** The loaded model named {@code name}. */
    public CatalogEntry get(String name) {
        CatalogEntry entry = models.get(name);
        if (entry == null) {
            throw unknown(name);
        }
        return entry;
    }

    /**
     * Takes {@code name} out of the catalog at once, waits for the invocations holding it, and
     * closes it.
     */
    public CatalogEntry unload(String name) throws InterruptedException {
        CatalogEntry entry = models.remove(name);
        if (entry == null) {
            throw unknown(name);
        }
        retire(entry, false);
        return entry;
    }

    /**
     * Up to {@code limit} models in name order, after the name {@code after} (null: from the
     * start).
     */
    public List<CatalogEntry> page(String after, int limit) {
        return models.values().stream()
                .filter(e -> after == null || e.name().compareTo(after) > 0)
                .sorted(Comparator.comparing(CatalogEntry::name))
                .limit(limit)
                .toList();
    }

    public int size() {
        return models.size();
    }

    /** What the loaded models hold together. */
    public long residentBytes() {
        return models.values().stream().mapToLong(e -> e.footprint().bytes()).sum();
    }

    private long heapBytes() {
        return models.values().stream().mapToLong(e -> e.footprint().heapBytes()).sum();
    }

    /** Unloads idle models, least recently used first, until {@code entry} fits the budget. */
    private void makeRoom(CatalogEntry entry) throws InterruptedException {
        Footprint need = entry.footprint();
        if (need.bytes() > budget.bytes() || need.heapBytes() > budget.heapBytes()) {
            throw noRoom(
                    entry,
                    "more than the whole budget of %s (heap %s; %s)",
                    Footprint.megabytes(budget.bytes()),
                    Footprint.megabytes(budget.heapBytes()),
                    budget.source());
        }
        List<CatalogEntry> idle = new ArrayList<>(models.values());
        idle.removeIf(e -> !e.idle());
        idle.sort(Comparator.comparingLong(CatalogEntry::lastUsedNanos));
        int next = 0;
        while (residentBytes() + need.bytes() > budget.bytes()
                || heapBytes() + need.heapBytes() > budget.heapBytes()) {
            if (next == idle.size()) {
                throw noRoom(
                        entry,
                        "the %d models loaded hold %s of the budget of %s (%s) and none of them is"
                                + " idle",
                        models.size(),
                        Footprint.megabytes(residentBytes()),
                        Footprint.megabytes(budget.bytes()),
                        budget.source());
            }
            CatalogEntry victim = idle.get(next++);
            if (victim.idle() && models.remove(victim.name(), victim)) {
                LOG.info(
                        "unloading \"{}\" (idle {} ms, holds {}) to make room for \"{}\"",
                        victim.name(),
                        victim.idleMillis(),
                        Footprint.megabytes(victim.footprint().bytes()),
                        entry.name());
                retire(victim, true);
            }
        }
    }

    private static CatalogProblem noRoom(CatalogEntry entry, String why, Object... values) {
        Footprint need = entry.footprint();
        return new CatalogProblem(
                Kind.NO_ROOM,
                String.format(
                                java.util.Locale.ROOT,
                                "model \"%s\" holds %s (heap %s): ",
                                entry.name(),
                                Footprint.megabytes(need.bytes()),
                                Footprint.megabytes(need.heapBytes()))
                        + String.format(java.util.Locale.ROOT, why, values));
    }

    private void retire(CatalogEntry entry, boolean evicted) throws InterruptedException {
        if (!entry.retire(unloadWait.toNanos())) {
            LOG.warn(
                    "\"{}\" was closed with invocations still holding it after {} s",
                    entry.name(),
                    unloadWait.toSeconds());
        }
        events.unloaded(entry, evicted);
        if (!evicted) {
            LOG.info("unloaded \"{}\"", entry.name());
        }
    }

    /** Closes every model (the server has stopped taking invocations). */
    @Override
    public void close() {
        for (CatalogEntry entry : List.copyOf(models.values())) {
            models.remove(entry.name());
            try {
                entry.retire(0);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static void checkName(String name) {
        if (name == null || name.isBlank()) {
            throw new CatalogProblem(Kind.BAD_MODEL, "model_name is empty");
        }
        if (name.length() > MAX_NAME_LENGTH
                || name.contains("/")
                || name.chars().anyMatch(Character::isISOControl)) {
            throw new CatalogProblem(
                    Kind.BAD_MODEL,
                    "model_name must be at most "
                            + MAX_NAME_LENGTH
                            + " characters without '/' or control characters");
        }
    }

    /** A model folder: a path, or a {@code file://} URL of one. */
    private static Path folder(String url) {
        if (url == null || url.isBlank()) {
            throw new CatalogProblem(Kind.BAD_MODEL, "url is empty; send the model's folder");
        }
        Path dir;
        try {
            dir = Path.of(url.startsWith("file://") ? url.substring("file://".length()) : url);
        } catch (java.nio.file.InvalidPathException e) {
            throw new CatalogProblem(Kind.BAD_MODEL, "url " + url + " is not a path: " + e);
        }
        if (!Files.isDirectory(dir)) {
            throw new CatalogProblem(
                    Kind.BAD_MODEL, "url " + url + " is not a folder this container can read");
        }
        return dir;
    }

    private static CatalogProblem unknown(String name) {
        return new CatalogProblem(
                Kind.UNKNOWN,
                "no model named \"" + name + "\" is loaded; load it with POST /models");
    }
}
