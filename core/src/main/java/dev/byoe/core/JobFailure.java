package dev.byoe.core;

/**
 * A reason a job (training, processing, tuning, monitoring) cannot go on, written for the user: it
 * becomes the job's FailureReason in {@code /opt/ml/output/failure} and the command exits non-zero.
 */
public class JobFailure extends RuntimeException {
    public JobFailure(String message) {
        super(message);
    }

    public JobFailure(String message, Throwable cause) {
        super(message, cause);
    }
}
