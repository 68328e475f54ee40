package dev.byoe.model.artifact;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.byoe.core.Json;
import dev.byoe.core.data.Feature;
import dev.byoe.core.data.FeatureKind;
import dev.byoe.core.data.FeatureSchema;
import dev.byoe.core.data.Objective;
import dev.byoe.core.data.Target;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code manifest.json}: the ensemble's table of contents and provenance.
 *
 * @param format artifact format id, checked on load
 * @param members members in prediction order
 * @param features feature columns in the order requests must send them
 * @param hyperparameters the job's hyperparameters exactly as received (strings)
 * @param evaluation how the metrics were measured and their values
 * @param data where the training data came from (channels, files, digests, rows)
 * @param libsvmIndexBase the libsvm index of the first feature, when the training data was libsvm
 *     (requests in libsvm use it; absent means 1)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Manifest(
        String format,
        String byoeVersion,
        String createdAt,
        String objective,
        TargetEntry target,
        List<FeatureEntry> features,
        List<MemberEntry> members,
        Map<String, String> hyperparameters,
        Evaluation evaluation,
        Map<String, Object> data,
        Integer libsvmIndexBase) {

    public static final String FORMAT = "byoe-ensemble/1";
    public static final String FILE = "manifest.json";

    private static final ObjectMapper JSON = Json.MANIFEST;

    public record TargetEntry(String name, List<String> classes) {}

    public record FeatureEntry(String name, String kind) {}

    /**
     * A member: its type, weight, folder (relative to the manifest), typed hyperparameters and
     * metrics.
     */
    public record MemberEntry(
            String name,
            String type,
            double weight,
            String directory,
            Map<String, Object> hyperparameters,
            Map<String, Double> metrics) {}

    /**
     * {@code method}: "validation" or "k-fold"; {@code rows}: rows the metrics were computed on.
     */
    public record Evaluation(String method, int folds, int rows, Map<String, Double> ensemble) {}

    public FeatureSchema schema() {
        List<Feature> list = new ArrayList<>();
        for (FeatureEntry f : features) {
            list.add(new Feature(f.name(), FeatureKind.valueOf(f.kind().toUpperCase(Locale.ROOT))));
        }
        return new FeatureSchema(
                list,
                libsvmIndexBase == null
                        ? FeatureSchema.DEFAULT_SPARSE_INDEX_BASE
                        : libsvmIndexBase);
    }

    public Target targetSpec() {
        return new Target(
                target.name(),
                Objective.fromId(objective),
                target.classes() == null ? List.of() : target.classes());
    }

    public static List<FeatureEntry> featureEntries(FeatureSchema schema) {
        List<FeatureEntry> out = new ArrayList<>();
        for (Feature f : schema.features()) {
            out.add(new FeatureEntry(f.name(), f.kind().name().toLowerCase(Locale.ROOT)));
        }
        return out;
    }

    public void write(Path file) throws IOException {
        JSON.writeValue(file.toFile(), this);
    }

    public static Manifest read(Path file) throws IOException {
        Manifest m = JSON.readValue(file.toFile(), Manifest.class);
        if (!FORMAT.equals(m.format())) {
            throw new IOException(
                    "unsupported model format '"
                            + m.format()
                            + "' in "
                            + file
                            + " (expected "
                            + FORMAT
                            + ")");
        }
        if (m.members() == null
                || m.members().isEmpty()
                || m.features() == null
                || m.target() == null
                || m.objective() == null) {
            throw new IOException(
                    file + " is incomplete: members, features, target and objective are required");
        }
        return m;
    }
}
