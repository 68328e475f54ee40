package dev.byoe.jobs.api;

/**
 * ARNs of jobs and packages that live on this machine. SageMaker's shapes require an ARN where a
 * Describe* answer names a resource; local ones use a region and account that no real resource has,
 * so that they can never be mistaken for one in the cloud.
 */
public final class LocalArns {
    /** {@code local-dev}: nine characters, the fewest a model package ARN's region may have. */
    public static final String PREFIX = "arn:aws:sagemaker:local-dev:000000000000:";

    private LocalArns() {}
}
