package dev.byoe.model.anomaly;

import dev.byoe.model.member.MemberException;
import java.nio.file.Path;

/**
 * How a saved log member is read back: the type name its manifest entry carries and the loader for
 * the files {@link AnomalyDetector#save} wrote.
 */
public record DetectorFormat(String name, Loader loader) {

    /** Reads the detector files in {@code directory}. */
    @FunctionalInterface
    public interface Loader {
        AnomalyDetector load(Path directory) throws MemberException;
    }

    public AnomalyDetector load(Path directory) throws MemberException {
        return loader.load(directory);
    }
}
