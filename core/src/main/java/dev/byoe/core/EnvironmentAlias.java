package dev.byoe.core;

import java.util.Map;
import java.util.function.BiPredicate;
import java.util.function.Consumer;

/**
 * A byoe environment variable and the standard SageMaker name for the same setting, so that a user
 * moving from a SageMaker framework container keeps its environment. When both are set, byoe's
 * wins, and the log says so if they mean different things.
 */
public record EnvironmentAlias(String byoe, String sageMaker) {
    /** A value and the name it was read under. */
    public record Setting(String name, String value) {}

    /**
     * The setting in {@code env}, or null when neither name is set (blank counts as unset). {@code
     * same} says whether two values mean the same thing; when they do not, {@code log} is told
     * which name wins.
     */
    public Setting read(
            Map<String, String> env, BiPredicate<String, String> same, Consumer<String> log) {
        String ours = env.get(byoe);
        String theirs = env.get(sageMaker);
        boolean hasOurs = ours != null && !ours.isBlank();
        boolean hasTheirs = theirs != null && !theirs.isBlank();
        if (hasOurs && hasTheirs && !same.test(ours.strip(), theirs.strip())) {
            log.accept(
                    byoe
                            + "="
                            + ours
                            + " and "
                            + sageMaker
                            + "="
                            + theirs
                            + " are both set; "
                            + byoe
                            + " wins");
        }
        return hasOurs
                ? new Setting(byoe, ours)
                : hasTheirs ? new Setting(sageMaker, theirs) : null;
    }
}
