package dev.byoe.jobs.monitor;

/** One entry of {@code constraint_violations.json}. */
record Violation(String featureName, String checkType, String description) {
    static final String DATA_TYPE = "data_type_check";
    static final String COMPLETENESS = "completeness_check";
    static final String BASELINE_DRIFT = "baseline_drift_check";
    static final String MISSING_COLUMN = "missing_column_check";
    static final String EXTRA_COLUMN = "extra_column_check";
    static final String CATEGORICAL_VALUES = "categorical_values_check";
}
