package dev.byoe.model.anomaly;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * A trained log-anomaly member: immutable, thread-safe, scoring a batch of sessions. It saves
 * itself as data files (JSON, binary weights), never as Java serialization.
 */
public interface AnomalyDetector extends AutoCloseable {
    /** The member type's name, as registered. */
    String type();

    AnomalyScores score(SessionBatch sessions);

    /**
     * Whether it reads the order of a session's events; a model with such a member cannot take
     * event-count vectors, which have none.
     */
    default boolean needsEventOrder() {
        return false;
    }

    /** As {@link dev.byoe.model.member.MemberModel#holdsUncountedNativeMemory}. */
    default boolean holdsUncountedNativeMemory() {
        return false;
    }

    /**
     * How it computes, where it has a choice the JVM makes (DeepLog: which forward pass), for the
     * serving log; empty otherwise.
     */
    default String engine() {
        return "";
    }

    /**
     * JDK modules it runs faster with. The manifest lists them ({@code jvm_modules}) so that the
     * image's entry point picks the AOT cache recorded with such a member, without knowing any
     * member by name; the member loads them itself ({@link dev.byoe.core.JdkModules}).
     */
    default List<String> jvmModules() {
        return List.of();
    }

    /** Writes the model files into {@code directory}, which exists and is empty. */
    void save(Path directory) throws IOException;

    @Override
    default void close() {}
}
