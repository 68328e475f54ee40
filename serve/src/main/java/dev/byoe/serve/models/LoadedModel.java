package dev.byoe.serve.models;

/**
 * A model loaded from its folder and warmed up: what requests use, what to close when it goes, and
 * a line for the log.
 */
public record LoadedModel(ServedModel served, AutoCloseable resources, String description) {
    /** Closes the model's native resources; a failure is only worth a log line. */
    public void close() {
        try {
            resources.close();
        } catch (Exception e) {
            org.slf4j.LoggerFactory.getLogger(LoadedModel.class)
                    .warn("closing the model: {}", e.toString());
        }
    }
}
