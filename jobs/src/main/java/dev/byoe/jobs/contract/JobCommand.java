package dev.byoe.jobs.contract;

/**
 * A command SageMaker runs as a job (training, processing, monitoring). Arguments it cannot take
 * come from the job's definition ({@code ContainerArguments}), so refusing them is a failed job:
 * the reason goes to the job's failure file and the exit is non-zero, as for any other failure.
 */
public interface JobCommand {
    /** Ends the job on {@code reason}; returns the exit code. */
    int refuse(String reason);
}
