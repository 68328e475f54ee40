package dev.byoe.jobs.contract;

import dev.byoe.core.JobFailure;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes {@code /opt/ml/output/failure}; SageMaker shows its first 1024 characters as
 * FailureReason.
 */
public final class FailureFile {
    private FailureFile() {}

    public static void write(Path file, String reason) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(
                    file, reason.endsWith("\n") ? reason : reason + "\n", StandardCharsets.UTF_8);
        } catch (IOException e) {
            System.err.println("could not write " + file + ": " + e.getMessage());
        }
    }

    /**
     * How a processing job ({@code process}, {@code monitor}) ends on {@code e}: the reason in the
     * log and in {@code message}; exit 1 for a failure it reports ({@link JobFailure}), 2 with the
     * stack trace for anything else.
     */
    public static int processingJobFailed(String job, Exception e, Path message, PrintStream log) {
        if (e instanceof JobFailure) {
            log.println("byoe " + job + " failed: " + e.getMessage());
            write(message, e.getMessage());
            return 1;
        }
        e.printStackTrace(log);
        write(message, "internal error: " + e);
        return 2;
    }
}
