package dev.byoe.jobs.pipeline;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * Moving a job's data between the folder standing in for S3 and the job's {@code /opt/ml}: inputs
 * are linked in (copied for Docker, where links out of the mount would not resolve), outputs are
 * copied out once the job has succeeded.
 */
final class JobFiles {
    private JobFiles() {}

    /**
     * A problem when an S3 data source is not a key prefix: a manifest file lists objects this
     * machine would not read from it, so it is refused rather than taken for a prefix.
     */
    static java.util.Optional<String> notAPrefix(
            String where, com.fasterxml.jackson.databind.JsonNode source) {
        String type = source.path("S3DataType").asText("S3Prefix");
        return type.equals("S3Prefix")
                ? java.util.Optional.empty()
                : java.util.Optional.of(
                        where + ".S3DataType " + type + ": only S3Prefix runs here");
    }

    /**
     * Puts the objects {@code uri} names into {@code folder}; refuses an input with no objects, as
     * SageMaker does.
     */
    static int download(LocalS3 s3, String uri, Path folder, boolean copy, String what)
            throws IOException, StepFailure {
        List<LocalS3.Object> objects = s3.objects(uri);
        if (objects.isEmpty()) {
            throw new StepFailure(
                    "ClientError: "
                            + what
                            + ": no objects under "
                            + uri
                            + " ("
                            + s3.path(uri)
                            + ")");
        }
        Files.createDirectories(folder);
        for (LocalS3.Object o : objects) {
            Path target = folder.resolve(o.relative());
            Files.createDirectories(target.getParent());
            Files.deleteIfExists(target);
            if (copy) {
                Files.copy(o.file(), target);
            } else {
                Files.createSymbolicLink(target, o.file().toAbsolutePath());
            }
        }
        return objects.size();
    }

    /** Copies every file under {@code folder} to {@code uri} (a prefix); returns the count. */
    static int upload(Path folder, LocalS3 s3, String uri) throws IOException {
        if (!Files.isDirectory(folder)) {
            return 0;
        }
        Path target = s3.path(uri.endsWith("/") ? uri : uri + "/");
        int n = 0;
        try (Stream<Path> files = Files.walk(folder)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                Path to = target.resolve(folder.relativize(f).toString());
                Files.createDirectories(to.getParent());
                Files.copy(f.toRealPath(), to, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                n++;
            }
        }
        return n;
    }

    /**
     * Why a job failed: its failure file ({@code output/failure}, or a processing job's {@code
     * output/message}), else how it ended. A job that died without saying why (killed, crashed) is
     * SageMaker's internal error, which {@code RetryPolicies} may retry.
     */
    static StepFailure failure(String job, Path root, JobLauncher.Outcome outcome, Path log) {
        for (Path f : List.of(root.resolve("output/failure"), root.resolve("output/message"))) {
            try {
                if (Files.exists(f)) {
                    return new StepFailure(
                            "AlgorithmError: "
                                    + Files.readString(f, StandardCharsets.UTF_8).strip()
                                    + " (job "
                                    + job
                                    + ", failure file "
                                    + f
                                    + ")");
                }
            } catch (IOException e) {
                // Fall through to the exit code.
            }
        }
        if (outcome.timedOut()) {
            return new StepFailure(
                    "MaxRuntimeExceeded: job "
                            + job
                            + " reached StoppingCondition.MaxRuntimeInSeconds");
        }
        return new StepFailure(
                "InternalServerError: job "
                        + job
                        + " exited with code "
                        + outcome.exit()
                        + " without writing a failure file (log: "
                        + log
                        + ")",
                StepFailure.JOB_INTERNAL_ERROR);
    }
}
