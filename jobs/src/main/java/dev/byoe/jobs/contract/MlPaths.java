package dev.byoe.jobs.contract;

import java.nio.file.Path;
import java.util.Map;

/**
 * Where the SageMaker training layout lives: {@code /opt/ml}, or {@code $BYOE_ML_ROOT} for local
 * runs and tests.
 */
public record MlPaths(Path root) {
    public static final String ROOT_VARIABLE = "BYOE_ML_ROOT";

    public static MlPaths fromEnvironment(Map<String, String> env) {
        String root = env.get(ROOT_VARIABLE);
        return new MlPaths(Path.of(root == null || root.isBlank() ? "/opt/ml" : root));
    }

    public Path config() {
        return root.resolve("input/config");
    }

    public Path hyperparameters() {
        return config().resolve("hyperparameters.json");
    }

    public Path inputDataConfig() {
        return config().resolve("inputdataconfig.json");
    }

    public Path resourceConfig() {
        return config().resolve("resourceconfig.json");
    }

    /**
     * {@code resourceconfig.json} of a job on one host, as SageMaker writes it for {@code
     * InstanceCount: 1} (local trials and pipeline steps run on one host).
     */
    public static final Map<String, Object> ONE_HOST =
            Map.of(
                    "current_host",
                    "algo-1",
                    "hosts",
                    java.util.List.of("algo-1"),
                    "network_interface_name",
                    "eth0");

    public Path data() {
        return root.resolve("input/data");
    }

    /** File-mode folder of a channel. */
    public Path channel(String name) {
        return data().resolve(name);
    }

    /** Pipe-mode FIFO of a channel for one epoch. */
    public Path pipe(String name, int epoch) {
        return data().resolve(name + "_" + epoch);
    }

    public Path model() {
        return root.resolve("model");
    }

    public Path outputData() {
        return root.resolve("output/data");
    }

    /** Deletes byoe's own member folders from the model folder; anything else there stays. */
    public void clearModelMembers() throws java.io.IOException {
        Path members = model().resolve("members");
        if (java.nio.file.Files.exists(members)) {
            org.apache.commons.io.file.PathUtils.deleteDirectory(members);
        }
    }

    /** Where SageMaker syncs checkpoints with S3 (CheckpointConfig.LocalPath defaults to it). */
    public Path checkpoints() {
        return root.resolve("checkpoints");
    }

    public Path failure() {
        return root.resolve("output/failure");
    }

    /** A processing job's failure reason ({@code process}, {@code monitor}). */
    public Path processingMessage() {
        return root.resolve("output/message");
    }
}
