package dev.byoe.model.anomaly;

import dev.byoe.model.member.MemberException;
import java.io.IOException;
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

    /** Reads files that can fail with an {@link IOException}. */
    @FunctionalInterface
    public interface FileLoader {
        AnomalyDetector load(Path directory) throws IOException;
    }

    /**
     * A format whose loader reads files: a file that is missing, unreadable or malformed becomes a
     * {@link MemberException} naming the member ({@code what}) and the folder.
     */
    public static DetectorFormat ofFiles(String name, String what, FileLoader files) {
        return new DetectorFormat(
                name,
                directory -> {
                    try {
                        return files.load(directory);
                    } catch (IOException | RuntimeException e) {
                        throw new MemberException(
                                "cannot load the "
                                        + what
                                        + " member from "
                                        + directory
                                        + ": "
                                        + e.getMessage(),
                                e);
                    }
                });
    }

    public AnomalyDetector load(Path directory) throws MemberException {
        return loader.load(directory);
    }
}
