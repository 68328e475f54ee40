package dev.byoe.jobs.train;

import java.util.Map;

/**
 * What a training job trains, as its {@code task} hyperparameter names it (the constants are those
 * names, so that the command line and the hyperparameter take the same words).
 */
public enum Task {
    /** Rows of features and a label: the XGBoost and CatBoost ensemble. */
    tabular,
    /** Sessions of log events: the log-anomaly members. */
    log_anomaly;

    /**
     * The task of a job's hyperparameters: {@code log_anomaly} when it says so (SageMaker's SDK may
     * quote the value), else {@code tabular}, whose hyperparameter check then refuses any other
     * word by name.
     */
    public static Task of(Map<String, String> hyperparameters) {
        String value = hyperparameters.getOrDefault("task", "").replace("\"", "").strip();
        return value.equals(log_anomaly.name()) ? log_anomaly : tabular;
    }
}
