package dev.byoe.jobs.pipeline;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * Starts the byoe job of a step: a new JVM running a byoe command on the step's {@code /opt/ml}
 * folder ({@code $BYOE_ML_ROOT}), or with {@code --docker} a container of the step's image with
 * that folder mounted at {@code /opt/ml}. Output goes line by line to the step's log and to a
 * listener (metric lines). Stopping the pipeline stops every job it started (SIGTERM, as
 * SageMaker's Stop* calls send).
 */
public final class JobLauncher {
    private final List<String> byoe;
    private final Map<String, Process> running = new ConcurrentHashMap<>();
    private final Set<String> containers = ConcurrentHashMap.newKeySet();

    /** {@code byoe}: the command line that starts byoe, without its command. */
    public JobLauncher(List<String> byoe) {
        this.byoe = List.copyOf(byoe);
    }

    /**
     * A job: its name, image ({@code null}: byoe here), arguments (the command first), environment,
     * folder, log file, output listener, and run-time limit (0: none).
     */
    public record Job(
            String name,
            String image,
            List<String> args,
            Map<String, String> env,
            Path root,
            Path log,
            Consumer<String> lines,
            long maxRuntimeSeconds,
            List<String> dockerOptions) {}

    /** How a job ended. */
    public record Outcome(int exit, boolean timedOut) {}

    public Outcome run(Job job) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        if (job.image() == null) {
            command.addAll(byoe);
        } else {
            command.addAll(List.of("docker", "run", "--rm", "--name", job.name()));
            command.addAll(List.of("-v", job.root().toAbsolutePath() + ":/opt/ml"));
            // As the owner of the step's folder, so that what the job writes there is the
            // pipeline's to read, move and delete.
            command.addAll(List.of("--user", owner(job.root())));
            job.env().forEach((k, v) -> command.addAll(List.of("-e", k + "=" + v)));
            command.addAll(job.dockerOptions());
            command.add(job.image());
        }
        command.addAll(job.args());
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        if (job.image() == null) {
            pb.environment().putAll(job.env());
            pb.environment().put("BYOE_ML_ROOT", job.root().toAbsolutePath().toString());
        } else {
            containers.add(job.name());
        }
        Files.createDirectories(job.log().getParent());
        Process process = pb.start();
        running.put(job.name(), process);
        AtomicBoolean timedOut = new AtomicBoolean();
        ScheduledExecutorService timer =
                Executors.newSingleThreadScheduledExecutor(Thread.ofVirtual().factory());
        if (job.maxRuntimeSeconds() > 0) {
            timer.schedule(
                    () -> {
                        timedOut.set(true);
                        stop(job.name());
                    },
                    job.maxRuntimeSeconds(),
                    TimeUnit.SECONDS);
        }
        try (BufferedReader in =
                        new BufferedReader(
                                new InputStreamReader(
                                        process.getInputStream(), StandardCharsets.UTF_8));
                Writer log = Files.newBufferedWriter(job.log(), StandardCharsets.UTF_8)) {
            String line;
            while ((line = readLine(in)) != null) {
                log.write(line);
                log.write('\n');
                log.flush();
                job.lines().accept(line);
            }
            return new Outcome(process.waitFor(), timedOut.get());
        } finally {
            timer.shutdownNow();
            running.remove(job.name());
            containers.remove(job.name());
        }
    }

    private static String owner(Path folder) throws IOException {
        return Files.getAttribute(folder, "unix:uid")
                + ":"
                + Files.getAttribute(folder, "unix:gid");
    }

    /** A stopped job's output may close under the reader: that is the end of its output. */
    private static String readLine(BufferedReader in) {
        try {
            return in.readLine();
        } catch (IOException e) {
            return null;
        }
    }

    /** Stops the running job named {@code name} (SIGTERM), if there is one. */
    public void stop(String name) {
        Process p = running.get(name);
        if (p != null) {
            if (containers.contains(name)) {
                try {
                    new ProcessBuilder("docker", "stop", name)
                            .redirectErrorStream(true)
                            .start()
                            .waitFor(30, TimeUnit.SECONDS);
                } catch (IOException e) {
                    p.destroy();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            } else {
                p.descendants().forEach(ProcessHandle::destroy);
                p.destroy();
            }
        }
    }

    /**
     * Stops every running job (SIGTERM; a job that has not ended after {@code graceSeconds} is
     * killed).
     */
    public void stopAll(long graceSeconds) {
        for (String name : containers) {
            try {
                new ProcessBuilder("docker", "stop", "-t", Long.toString(graceSeconds), name)
                        .redirectErrorStream(true)
                        .start();
            } catch (IOException e) {
                // The container's process is destroyed below.
            }
        }
        List<Process> jobs = new ArrayList<>(running.values());
        for (Process p : jobs) {
            p.descendants().forEach(ProcessHandle::destroy);
            p.destroy();
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(graceSeconds);
        for (Process p : jobs) {
            try {
                if (!p.waitFor(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                    p.descendants().forEach(ProcessHandle::destroyForcibly);
                    p.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
