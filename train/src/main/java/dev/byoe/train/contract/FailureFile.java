package dev.byoe.train.contract;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes {@code /opt/ml/output/failure}; SageMaker shows its first 1024 characters as FailureReason. */
public final class FailureFile {
    private FailureFile() {
    }

    public static void write(Path file, String reason) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, reason.endsWith("\n") ? reason : reason + "\n", StandardCharsets.UTF_8);
        } catch (IOException e) {
            System.err.println("could not write " + file + ": " + e.getMessage());
        }
    }
}
