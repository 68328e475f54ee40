package dev.byoe.train.contract;

/**
 * A reason the training job cannot go on, written for the user (it becomes the job's
 * FailureReason).
 */
public class TrainingFailure extends RuntimeException {
    public TrainingFailure(String message) {
        super(message);
    }

    public TrainingFailure(String message, Throwable cause) {
        super(message, cause);
    }
}
