package dev.byoe.model.member;

import dev.byoe.core.data.FeatureBatch;
import dev.byoe.core.data.Predictions;
import java.io.IOException;
import java.nio.file.Path;

/**
 * A trained member: immutable, safe to call from many threads, predicting a whole batch in one
 * native call. It saves itself as data in its library's own format (never Java serialization).
 */
public interface MemberModel extends AutoCloseable {
    /** The member type's name, as registered. */
    String type();

    /** Probabilities for classifiers (P(positive) for binary), values for regression. */
    Predictions predict(FeatureBatch batch) throws MemberException;

    /** Writes the model files into {@code directory}, which exists and is empty. */
    void save(Path directory) throws IOException;

    /**
     * From now on the model only predicts: it may let go of what only {@link #save} needs (and
     * {@code save} fails after). Serving calls it once, before the model is shared with requests.
     */
    default void predictOnly() {}

    /**
     * Whether it holds memory of a native allocator that the C allocator's statistics do not count
     * (CatBoost's own), so that a multi-model endpoint must estimate it from the files.
     */
    default boolean holdsUncountedNativeMemory() {
        return false;
    }

    @Override
    void close();
}
