package dev.byoe.serve.http;

import dev.byoe.core.EnvironmentAlias;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/** The serving settings SageMaker's own containers read, honoured beside byoe's names. */
final class SageMakerNames {
    static final List<EnvironmentAlias> ALIASES =
            List.of(
                    // The SageMaker inference toolkit's model server workers each take one request
                    // at a time: the same as invocations computing at once.
                    new EnvironmentAlias(
                            "BYOE_MAX_CONCURRENT_INVOCATIONS", "SAGEMAKER_MODEL_SERVER_WORKERS"),
                    // Seconds a request may take before the model server gives up on it; the
                    // inference toolkit reads it under both spellings. The first listed wins.
                    new EnvironmentAlias(
                            "BYOE_REQUEST_TIMEOUT_SECONDS", "SAGEMAKER_MODEL_SERVER_TIMEOUT"),
                    new EnvironmentAlias(
                            "BYOE_REQUEST_TIMEOUT_SECONDS",
                            "SAGEMAKER_MODEL_SERVER_TIMEOUT_SECONDS"));

    private SageMakerNames() {}

    /**
     * {@code env} with each SageMaker name copied to byoe's where byoe's is unset; error messages
     * then name the variable the user set (see {@link #source}).
     */
    static Map<String, String> resolve(Map<String, String> env, Consumer<String> log) {
        Map<String, String> out = new HashMap<>(env);
        for (EnvironmentAlias a : ALIASES) {
            EnvironmentAlias.Setting set = a.read(env, String::equals, log);
            String earlier = out.get(source(a.byoe()));
            if (set != null && earlier != null && !set.name().equals(a.byoe())) {
                // Another SageMaker spelling of the same setting came first.
                if (!set.value().strip().equals(out.get(a.byoe()).strip())) {
                    log.accept(
                            earlier
                                    + "="
                                    + out.get(a.byoe())
                                    + " and "
                                    + set.name()
                                    + "="
                                    + set.value()
                                    + " are both set; "
                                    + earlier
                                    + " wins");
                }
                continue;
            }
            if (set != null && !set.name().equals(a.byoe())) {
                out.put(a.byoe(), set.value());
                out.put(source(a.byoe()), set.name());
            }
        }
        return out;
    }

    /** Where a copied value came from, kept in the resolved map under this key. */
    static String source(String byoeName) {
        return byoeName + " (from)";
    }
}
