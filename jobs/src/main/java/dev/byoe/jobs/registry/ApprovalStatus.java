package dev.byoe.jobs.registry;

/** SageMaker's ModelApprovalStatus. */
public enum ApprovalStatus {
    PendingManualApproval,
    Approved,
    Rejected;

    public static ApprovalStatus parse(String s) {
        for (ApprovalStatus a : values()) {
            if (a.name().equalsIgnoreCase(s)) {
                return a;
            }
        }
        throw new IllegalArgumentException(
                "approval status '"
                        + s
                        + "' is not one of PendingManualApproval, Approved, Rejected");
    }
}
