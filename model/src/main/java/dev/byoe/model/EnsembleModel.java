package dev.byoe.model;

import dev.byoe.core.data.FeatureBatch;
import dev.byoe.core.data.FeatureSchema;
import dev.byoe.core.data.Predictions;
import dev.byoe.core.data.Target;
import dev.byoe.model.artifact.Checksums;
import dev.byoe.model.artifact.Manifest;
import dev.byoe.model.member.MemberException;
import dev.byoe.model.member.MemberFormat;
import dev.byoe.model.member.MemberFormats;
import dev.byoe.model.member.MemberModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A loaded ensemble: members with weights, predicting their weighted average. Thread-safe. */
public final class EnsembleModel implements AutoCloseable {
    /** The ensemble's answer for a batch, with each member's own output beside it. */
    public record Prediction(Predictions ensemble, Map<String, Predictions> members) {}

    private final Manifest manifest;
    private final FeatureSchema schema;
    private final Target target;
    private final List<String> names;
    private final List<MemberModel> members;
    private final double[] weights;

    public EnsembleModel(Manifest manifest, List<MemberModel> members) {
        this.manifest = manifest;
        this.schema = manifest.schema();
        this.target = manifest.targetSpec();
        this.members = List.copyOf(members);
        this.names = new ArrayList<>();
        this.weights = new double[members.size()];
        for (int i = 0; i < members.size(); i++) {
            names.add(manifest.members().get(i).name());
            weights[i] = manifest.members().get(i).weight();
        }
    }

    /**
     * Loads {@code manifest.json} and every member from {@code directory}; fails (closing what it
     * loaded) if any member is missing or unreadable, so there is never a half-loaded ensemble.
     */
    public static EnsembleModel load(Path directory) throws IOException, MemberException {
        Path file = directory.resolve(Manifest.FILE);
        if (!Files.isRegularFile(file)) {
            throw new IOException(
                    "no "
                            + Manifest.FILE
                            + " in "
                            + directory
                            + " (is this a byoe model directory?)");
        }
        Checksums.verify(directory);
        Manifest manifest = Manifest.read(file);
        FeatureSchema schema = manifest.schema();
        Target target = manifest.targetSpec();
        List<MemberModel> loaded = new ArrayList<>();
        try {
            for (Manifest.MemberEntry e : manifest.members()) {
                MemberFormat format =
                        MemberFormats.find(e.type())
                                .orElseThrow(
                                        () ->
                                                new MemberException(
                                                        "model uses member type '"
                                                                + e.type()
                                                                + "', which this byoe does not know"));
                Path dir = directory.resolve(e.directory()).normalize();
                if (!dir.startsWith(directory.normalize())) {
                    throw new MemberException(
                            "member directory "
                                    + e.directory()
                                    + " is outside the model directory");
                }
                loaded.add(format.load(dir, schema, target));
            }
        } catch (MemberException | RuntimeException e) {
            loaded.forEach(MemberModel::close);
            throw e;
        }
        return new EnsembleModel(manifest, loaded);
    }

    /** Writes every member into {@code members/<name>/} and the manifest beside them. */
    public void save(Path directory) throws IOException {
        Files.createDirectories(directory);
        for (int i = 0; i < members.size(); i++) {
            Path dir = directory.resolve(manifest.members().get(i).directory());
            Files.createDirectories(dir);
            members.get(i).save(dir);
        }
        manifest.write(directory.resolve(Manifest.FILE));
        Checksums.write(directory);
    }

    public Prediction predict(FeatureBatch batch) throws MemberException {
        return predict(batch, MemberTimes.NONE);
    }

    /** As {@link #predict(FeatureBatch)}, telling {@code times} how long each member took. */
    public Prediction predict(FeatureBatch batch, MemberTimes times) throws MemberException {
        List<Predictions> parts = new ArrayList<>(members.size());
        Map<String, Predictions> byName = new LinkedHashMap<>();
        for (int i = 0; i < members.size(); i++) {
            long start = System.nanoTime();
            Predictions p = members.get(i).predict(batch);
            times.record(names.get(i), System.nanoTime() - start);
            parts.add(p);
            byName.put(names.get(i), p);
        }
        Predictions combined =
                parts.size() == 1 ? parts.getFirst() : WeightedAverage.combine(parts, weights);
        return new Prediction(combined, byName);
    }

    public Manifest manifest() {
        return manifest;
    }

    public FeatureSchema schema() {
        return schema;
    }

    public Target target() {
        return target;
    }

    /** Whether a member holds native memory the C allocator does not count. */
    public boolean holdsUncountedNativeMemory() {
        return members.stream().anyMatch(MemberModel::holdsUncountedNativeMemory);
    }

    /** Every member only predicts from now on ({@link MemberModel#predictOnly}). */
    public void predictOnly() {
        members.forEach(MemberModel::predictOnly);
    }

    public List<String> memberNames() {
        return List.copyOf(names);
    }

    @Override
    public void close() {
        members.forEach(MemberModel::close);
    }
}
