package dev.byoe.serve.http;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The serving settings SageMaker's own containers read, honoured beside byoe's names: a user who
 * moves a model from a SageMaker framework container keeps its environment. When both names are
 * set, byoe's wins and the log says so.
 */
final class SageMakerNames {
    /** A byoe setting and the standard SageMaker name for the same thing. */
    record Alias(String byoe, String sageMaker) {}

    static final List<Alias> ALIASES =
            List.of(
                    // The SageMaker inference toolkit's model server workers each take one request
                    // at a time: the same as invocations computing at once.
                    new Alias("BYOE_MAX_CONCURRENT_INVOCATIONS", "SAGEMAKER_MODEL_SERVER_WORKERS"),
                    // Seconds a request may take before the model server gives up on it.
                    new Alias("BYOE_REQUEST_TIMEOUT_SECONDS", "SAGEMAKER_MODEL_SERVER_TIMEOUT"));

    private SageMakerNames() {}

    /**
     * {@code env} with each SageMaker name copied to byoe's where byoe's is unset; error messages
     * then name the variable the user set (see {@link #source}).
     */
    static Map<String, String> resolve(Map<String, String> env, Consumer<String> log) {
        Map<String, String> out = new HashMap<>(env);
        for (Alias a : ALIASES) {
            String ours = env.get(a.byoe());
            String theirs = env.get(a.sageMaker());
            if (theirs == null || theirs.isBlank()) {
                continue;
            }
            if (ours == null || ours.isBlank()) {
                out.put(a.byoe(), theirs);
                out.put(source(a.byoe()), a.sageMaker());
            } else if (!ours.strip().equals(theirs.strip())) {
                log.accept(
                        a.byoe()
                                + "="
                                + ours
                                + " and "
                                + a.sageMaker()
                                + "="
                                + theirs
                                + " are both set; "
                                + a.byoe()
                                + " wins");
            }
        }
        return out;
    }

    /** Where a copied value came from, kept in the resolved map under this key. */
    static String source(String byoeName) {
        return byoeName + " (from)";
    }
}
