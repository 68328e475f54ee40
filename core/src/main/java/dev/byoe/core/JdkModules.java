package dev.byoe.core;

import java.lang.reflect.InvocationTargetException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * JDK modules that code wants and the JVM was not started with, added while it runs.
 *
 * <p>Why not {@code --add-modules}: a JVM started with an incubator module (the Vector API) gets
 * neither the AOT cache's archived module graph nor its AOT-linked classes: a DeepLog model was
 * ready about 0.15 s later that way (bench/RESULTS.md, "DeepLog's cold start without
 * --add-modules"). Loaded later, the module sits in a layer above the boot layer but is defined to
 * the JDK's own class loaders, as the JDK itself loads an agent's {@code java.instrument} into a
 * running VM, so its classes are trusted and intrinsified as at start. That goes through {@code
 * jdk.internal.module.Modules}, which the jar's manifest exports to byoe ({@code Add-Exports},
 * honoured by {@code java -jar}); elsewhere (a class path without the flag) the module is simply
 * reported absent.
 */
public final class JdkModules {
    private static final Logger LOG = LoggerFactory.getLogger(JdkModules.class);
    private static final Map<String, Boolean> PRESENT = new ConcurrentHashMap<>();

    private JdkModules() {}

    /** Whether the JDK module {@code name} is in this JVM, loading it first if it is not yet. */
    public static boolean ensure(String name) {
        return PRESENT.computeIfAbsent(name, JdkModules::load);
    }

    private static boolean load(String name) {
        if (ModuleLayer.boot().findModule(name).isPresent()) {
            return true;
        }
        try {
            Class.forName("jdk.internal.module.Modules")
                    .getMethod("loadModule", String.class)
                    .invoke(null, name);
            return true;
        } catch (InvocationTargetException e) {
            // The module is not in this runtime image (or cannot be resolved in it).
            LOG.info("JDK module {} not available: {}", name, e.getCause().toString());
            return false;
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.info(
                    "JDK module {} not loaded ({}): start the JVM with --add-modules {}, or with"
                            + " java -jar byoe.jar",
                    name,
                    e.toString(),
                    name);
            return false;
        }
    }
}
