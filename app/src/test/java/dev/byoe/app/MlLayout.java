package dev.byoe.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** A SageMaker training layout in a temporary folder, as the platform would lay it out. */
final class MlLayout {
    private static final ObjectMapper JSON = new ObjectMapper();

    final Path root;
    private final Map<String, Object> channels = new LinkedHashMap<>();

    MlLayout(Path root) {
        this.root = root;
        try {
            Files.createDirectories(root.resolve("input/config"));
            Files.createDirectories(root.resolve("input/data"));
            Files.createDirectories(root.resolve("model"));
            Files.createDirectories(root.resolve("output"));
            JSON.writeValue(
                    root.resolve("input/config/resourceconfig.json").toFile(),
                    Map.of(
                            "current_host",
                            "algo-1",
                            "hosts",
                            java.util.List.of("algo-1"),
                            "network_interface_name",
                            "eth0"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The repository's own data folder (fixtures shipped with the project). */
    static Path data(String name) {
        return Path.of(System.getProperty("byoe.root", "..")).resolve("data").resolve(name);
    }

    /** One of the small test models trained by byoe (serve/src/test/resources/models/). */
    static Path testModel(String name) {
        return Path.of(System.getProperty("byoe.root", ".."))
                .resolve("serve/src/test/resources/models")
                .resolve(name);
    }

    /** A copy of one of the small test models ({@link #testModel}) as this layout's model. */
    MlLayout model(String name) throws IOException {
        copyTree(testModel(name), root.resolve("model"));
        return this;
    }

    /** Copies the folder {@code from} with everything in it to {@code to}. */
    static void copyTree(Path from, Path to) throws IOException {
        try (var files = Files.walk(from)) {
            for (Path f : files.toList()) {
                Path target = to.resolve(from.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(f, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    MlLayout hyperparameters(Map<String, String> values) throws IOException {
        JSON.writeValue(root.resolve("input/config/hyperparameters.json").toFile(), values);
        return this;
    }

    /** A File-mode channel holding a copy of {@code file}. */
    MlLayout channel(String name, Path file) throws IOException {
        Path dir = Files.createDirectories(root.resolve("input/data").resolve(name));
        Files.copy(file, dir.resolve(file.getFileName()));
        return declare(name, "File");
    }

    /** A File-mode channel with these files (name -> bytes). */
    MlLayout channel(String name, Map<String, byte[]> files) throws IOException {
        Path dir = Files.createDirectories(root.resolve("input/data").resolve(name));
        for (Map.Entry<String, byte[]> f : files.entrySet()) {
            Path p = dir.resolve(f.getKey());
            Files.createDirectories(p.getParent());
            Files.write(p, f.getValue());
        }
        return declare(name, "File");
    }

    MlLayout declare(String name, String mode) throws IOException {
        channels.put(
                name,
                Map.of(
                        "ContentType",
                        "text/csv",
                        "TrainingInputMode",
                        mode,
                        "S3DistributionType",
                        "FullyReplicated",
                        "RecordWrapperType",
                        "None"));
        JSON.writeValue(root.resolve("input/config/inputdataconfig.json").toFile(), channels);
        return this;
    }

    /** This layout is {@code current}, one of {@code hosts} (the first leads). */
    MlLayout host(String current, java.util.List<String> hosts) throws IOException {
        JSON.writeValue(
                root.resolve("input/config/resourceconfig.json").toFile(),
                Map.of("current_host", current, "hosts", hosts, "network_interface_name", "eth0"));
        return this;
    }

    /**
     * Declares {@code name} in Pipe mode, makes its FIFO {@code <name>_0} and starts a thread that
     * writes {@code data} into it once the job opens it; join the thread after the job.
     */
    Thread pipe(String name, byte[] data) throws IOException, InterruptedException {
        declare(name, "Pipe");
        Path fifo = root.resolve("input/data/" + name + "_0");
        if (new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor() != 0) {
            throw new IOException("mkfifo " + fifo + " failed");
        }
        return Thread.ofPlatform()
                .start(
                        () -> {
                            try (java.io.OutputStream out = Files.newOutputStream(fifo)) {
                                out.write(data);
                            } catch (IOException e) {
                                throw new UncheckedIOException(e);
                            }
                        });
    }

    /** Sets one field of channel {@code name}'s entry in inputdataconfig.json. */
    @SuppressWarnings("unchecked")
    MlLayout channelSetting(String name, String key, String value) throws IOException {
        Map<String, Object> c = new LinkedHashMap<>((Map<String, Object>) channels.get(name));
        c.put(key, value);
        channels.put(name, c);
        JSON.writeValue(root.resolve("input/config/inputdataconfig.json").toFile(), channels);
        return this;
    }

    /** Declares channel {@code name} ShardedByS3Key: each host holds only its own files. */
    @SuppressWarnings("unchecked")
    MlLayout sharded(String name) throws IOException {
        Map<String, Object> c = new LinkedHashMap<>((Map<String, Object>) channels.get(name));
        c.put("S3DistributionType", "ShardedByS3Key");
        channels.put(name, c);
        JSON.writeValue(root.resolve("input/config/inputdataconfig.json").toFile(), channels);
        return this;
    }

    Path model() {
        return root.resolve("model");
    }

    Path failure() {
        return root.resolve("output/failure");
    }
}
