package dev.byoe.app;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.byoe.jobs.registry.ModelArchive;
import dev.byoe.jobs.registry.ModelRegistry;
import dev.byoe.jobs.registry.RegistryCommand;
import dev.byoe.serve.ServeCommand;
import dev.byoe.serve.models.ModelLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code byoe deploy --group G --stage staging|production}: serves the newest Approved version of a
 * model package group, as the MLOps template's deployment does on approval, with data capture on.
 * It watches the registry: a newer approved version is loaded beside the running one and swapped in
 * without dropping a request; if the served version stops being approved and none other is, the
 * endpoint stops rather than serve an unapproved model.
 */
@Command(
        name = "deploy",
        sortOptions = false,
        description = {
            "Serves the newest Approved version of a model package group (never an unapproved one),"
                    + " with data capture on, and swaps to a newly approved version without"
                    + " dropping requests."
        })
public final class DeployCommand implements Callable<Integer> {
    enum Stage {
        staging,
        production
    }

    @Option(names = "--group", required = true, paramLabel = "GROUP")
    String group;

    @Option(
            names = "--stage",
            defaultValue = "staging",
            description = "${COMPLETION-CANDIDATES} (default ${DEFAULT-VALUE})")
    Stage stage;

    @Mixin RegistryCommand.Location registry;

    @Option(
            names = "--port",
            paramLabel = "N",
            description = "default 8080 for production, 8081 for staging")
    Integer port;

    @Option(
            names = "--folder",
            paramLabel = "DIR",
            description =
                    "unpacked versions and captured data (default local/deploy/<group>/<stage>)")
    Path folder;

    @Option(
            names = "--poll-seconds",
            defaultValue = "5",
            description = "how often the registry is read (default ${DEFAULT-VALUE})")
    long pollSeconds;

    @Override
    public Integer call() throws Exception {
        ModelRegistry models = registry.open();
        ModelRegistry.checkGroup(group);
        Path home = folder != null ? folder : Path.of("local", "deploy", group, stage.name());
        Optional<ObjectNode> approved = models.latestApproved(group);
        if (approved.isEmpty()) {
            System.err.println(
                    "byoe deploy: "
                            + group
                            + " has no Approved version in "
                            + models.root()
                            + " (registry approve --group "
                            + group
                            + " --version N), so nothing is served");
            return 2;
        }
        int version = approved.get().path("ModelPackageVersion").asInt();
        Map<String, String> env = new HashMap<>(System.getenv());
        env.put("BYOE_MODEL_DIR", unpack(models, home, version).toString());
        env.put(
                "SAGEMAKER_BIND_TO_PORT",
                Integer.toString(port != null ? port : stage == Stage.production ? 8080 : 8081));
        Path capture = home.resolve("capture");
        env.putIfAbsent("BYOE_DATA_CAPTURE_DIR", capture.toString());
        ServeCommand.Running running;
        try {
            running = ServeCommand.start(env);
        } catch (IllegalArgumentException | IllegalStateException e) {
            System.err.println("byoe deploy: " + e.getMessage());
            return 1;
        }
        System.err.printf(
                "byoe deploy: %s version %d (%s) on port %d; data capture in %s%n",
                group, version, stage, running.port(), env.get("BYOE_DATA_CAPTURE_DIR"));
        CountDownLatch stop = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(
                        new Thread(
                                () -> {
                                    stop.countDown();
                                    running.close();
                                },
                                "byoe-deploy-stop"));
        // Versions that failed to load are not tried again on every poll.
        java.util.Set<Integer> unloadable = new java.util.HashSet<>();
        while (!stop.await(pollSeconds, TimeUnit.SECONDS)) {
            Optional<ObjectNode> latest = models.latestApproved(group);
            if (latest.isEmpty()) {
                System.err.println(
                        "byoe deploy: version "
                                + version
                                + " of "
                                + group
                                + " is no longer Approved and no other version is: stopping rather than serve an unapproved model");
                running.close();
                return 1;
            }
            int newest = latest.get().path("ModelPackageVersion").asInt();
            if (newest != version && unloadable.add(newest)) {
                try {
                    running.swap(ModelLoader.load(unpack(models, home, newest)));
                    System.err.printf(
                            "byoe deploy: now serving %s version %d (was %d)%n",
                            group, newest, version);
                    unloadable.remove(newest);
                    version = newest;
                } catch (IllegalStateException e) {
                    System.err.println(
                            "byoe deploy: version "
                                    + newest
                                    + " cannot be loaded, still serving "
                                    + version
                                    + ": "
                                    + e.getMessage());
                }
            }
        }
        return 0;
    }

    /** The version's model, unpacked as SageMaker unpacks model.tar.gz into /opt/ml/model. */
    private Path unpack(ModelRegistry models, Path home, int version) throws IOException {
        Path dir = home.resolve("versions").resolve(Integer.toString(version));
        if (!Files.isDirectory(dir)) {
            ModelArchive.unpack(models.archive(group, version), dir);
        }
        return dir;
    }
}
