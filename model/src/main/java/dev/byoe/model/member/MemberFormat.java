package dev.byoe.model.member;

import dev.byoe.core.data.FeatureSchema;
import dev.byoe.core.data.Target;
import java.nio.file.Path;

/**
 * How a saved tabular member is read back: the type name its manifest entry carries and the loader
 * for the files it wrote. The training side's member types point at their format, so a model
 * written by a trainer is always one this side can load.
 */
public record MemberFormat(String name, Loader loader) {

    /** Reads the member files in {@code directory} for a model of this schema and target. */
    @FunctionalInterface
    public interface Loader {
        MemberModel load(Path directory, FeatureSchema schema, Target target)
                throws MemberException;
    }

    public MemberModel load(Path directory, FeatureSchema schema, Target target)
            throws MemberException {
        return loader.load(directory, schema, target);
    }
}
