package dev.byoe.jobs.pipeline;

/**
 * A step that failed, with the reason SageMaker would give and the class of failure a {@code
 * RetryPolicies} entry names ({@code SageMaker.JOB_INTERNAL_ERROR} for a job that died without
 * saying why; {@code null} for failures no retry helps, such as a job's own error).
 */
public final class StepFailure extends Exception {
    public static final String JOB_INTERNAL_ERROR = "SageMaker.JOB_INTERNAL_ERROR";

    private final String exceptionType;

    public StepFailure(String reason) {
        this(reason, null);
    }

    public StepFailure(String reason, String exceptionType) {
        super(reason);
        this.exceptionType = exceptionType;
    }

    public String exceptionType() {
        return exceptionType;
    }
}
