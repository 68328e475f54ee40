package dev.byoe.jobs.train;

import dev.byoe.core.JobFailure;
import dev.byoe.core.Json;
import dev.byoe.core.data.FeatureSchema;
import dev.byoe.core.data.Predictions;
import dev.byoe.core.data.Target;
import dev.byoe.jobs.registry.ModelArchive;
import dev.byoe.jobs.train.cluster.Team;
import dev.byoe.model.member.MemberException;
import dev.byoe.model.member.MemberFormats;
import dev.byoe.model.member.MemberModel;
import dev.byoe.training.EnsembleTrainer.FoldOutcome;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.apache.commons.io.file.PathUtils;

/**
 * Finished work units, one folder each, under {@code /opt/ml/checkpoints/byoe-units/<data and
 * hyperparameters fingerprint>/}: a fold unit's held-out predictions, a final unit's member model.
 * A folder appears whole (written aside, then renamed) or not at all, so a unit found here is done;
 * SageMaker copies the folder to and from {@code CheckpointConfig.S3Uri}, and a job that restarts
 * (spot, a retry) trains only the units that are missing. The leader's store is also where units
 * from the other hosts arrive.
 */
final class UnitStore implements Team.UnitInbox {
    private static final String OUTCOME = "outcome.json";
    private static final String PREDICTIONS = "predictions.bin";
    private static final String MODEL = "model";

    private final Path dir;

    /** No units, for a host that fails before it knows where its units would go. */
    static final UnitStore EMPTY = new UnitStore(Path.of("/nonexistent/byoe-units"));

    UnitStore(Path dir) {
        this.dir = dir;
    }

    Path dir() {
        return dir;
    }

    Path folder(String unit) {
        return dir.resolve(unit);
    }

    /**
     * Where a unit stopped mid-way keeps its member's state (XGBoost's rounds so far); gone once
     * the unit is done.
     */
    Path partial(String unit) {
        return dir.resolve("." + unit + ".partial");
    }

    @Override
    public boolean holds(String unit) {
        return Files.isRegularFile(folder(unit).resolve(OUTCOME));
    }

    @Override
    public Set<String> held() {
        Set<String> out = new TreeSet<>();
        if (Files.isDirectory(dir)) {
            try (Stream<Path> s = Files.list(dir)) {
                s.map(p -> p.getFileName().toString())
                        .filter(n -> !n.startsWith("."))
                        .filter(this::holds)
                        .forEach(out::add);
            } catch (IOException e) {
                throw new JobFailure(
                        "cannot list checkpoints in " + dir + ": " + e.getMessage(), e);
            }
        }
        return out;
    }

    @Override
    public void receive(String unit, Path archive) throws IOException {
        Path aside = aside(unit);
        ModelArchive.unpack(archive, aside);
        if (!Files.isRegularFile(aside.resolve(OUTCOME))) {
            PathUtils.deleteDirectory(aside);
            throw new IOException("unit " + unit + " arrived without " + OUTCOME);
        }
        commit(unit, aside);
    }

    void saveFold(String unit, FoldOutcome outcome) throws IOException {
        Path aside = aside(unit);
        Predictions p = outcome.heldOut();
        try (DataOutputStream out =
                new DataOutputStream(
                        new BufferedOutputStream(
                                Files.newOutputStream(aside.resolve(PREDICTIONS))))) {
            out.writeInt(p.rows());
            out.writeInt(p.width());
            for (double v : p.values()) {
                out.writeDouble(v);
            }
        }
        Json.MAPPER.writeValue(
                aside.resolve(OUTCOME).toFile(), Map.of("kept_rounds", outcome.keptRounds()));
        commit(unit, aside);
    }

    FoldOutcome loadFold(String unit) throws IOException {
        Path folder = folder(unit);
        int kept =
                Json.MAPPER.readTree(folder.resolve(OUTCOME).toFile()).path("kept_rounds").asInt();
        try (DataInputStream in =
                new DataInputStream(
                        new BufferedInputStream(
                                Files.newInputStream(folder.resolve(PREDICTIONS))))) {
            int rows = in.readInt();
            int width = in.readInt();
            double[] values = new double[rows * width];
            for (int i = 0; i < values.length; i++) {
                values[i] = in.readDouble();
            }
            return new FoldOutcome(new Predictions(rows, width, values), kept);
        }
    }

    void saveModel(String unit, MemberModel model, int keptRounds) throws IOException {
        Path aside = aside(unit);
        Files.createDirectories(aside.resolve(MODEL));
        model.save(aside.resolve(MODEL));
        Json.MAPPER.writeValue(
                aside.resolve(OUTCOME).toFile(),
                Map.of("type", model.type(), "kept_rounds", keptRounds));
        commit(unit, aside);
    }

    MemberModel loadModel(String unit, FeatureSchema schema, Target target)
            throws IOException, MemberException {
        Path folder = folder(unit);
        String type = Json.MAPPER.readTree(folder.resolve(OUTCOME).toFile()).path("type").asText();
        return MemberFormats.find(type)
                .orElseThrow(
                        () -> new MemberException("unit " + unit + " holds unknown type " + type))
                .load(folder.resolve(MODEL), schema, target);
    }

    private Path aside(String unit) throws IOException {
        Files.createDirectories(dir);
        return Files.createTempDirectory(dir, "." + unit + "-");
    }

    private void commit(String unit, Path aside) throws IOException {
        Path target = folder(unit);
        if (Files.exists(target)) {
            PathUtils.deleteDirectory(target);
        }
        Files.move(aside, target, StandardCopyOption.ATOMIC_MOVE);
        Files.deleteIfExists(partial(unit));
    }
}
