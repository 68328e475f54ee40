package dev.byoe.model;

import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Loads native libraries from a folder unpacked at image build time ({@code -Dbyoe.native.dir}), so
 * a container starts without copying ~50 MB of libraries into {@code /tmp}, and works where {@code
 * /tmp} is read-only or mounted {@code noexec}. Without the property, or without a library in the
 * folder, the libraries unpack themselves from the jar as usual.
 *
 * <p>XGBoost4J's loader always unpacks, so its library is loaded here and its loader told it is
 * done. CatBoost's loader is replaced by {@code ai.catboost.common.NativeLib} in this module, which
 * asks {@link #loadFromImage} first.
 */
public final class NativeLibraries {
    public static final String DIR_PROPERTY = "byoe.native.dir";

    private static boolean xgboostDone;

    private NativeLibraries() {}

    /** Loads {@code lib<name>.so} from the image's folder; false when there is no such file. */
    public static boolean loadFromImage(String name) {
        String dir = System.getProperty(DIR_PROPERTY);
        if (dir == null) {
            return false;
        }
        Path lib = Path.of(dir, System.mapLibraryName(name));
        if (!Files.isRegularFile(lib)) {
            return false;
        }
        System.load(lib.toString());
        return true;
    }

    public static synchronized void preloadXGBoost() {
        if (xgboostDone) {
            return;
        }
        xgboostDone = true;
        try {
            Field initialized =
                    Class.forName("ml.dmlc.xgboost4j.java.NativeLibLoader")
                            .getDeclaredField("initialized");
            initialized.setAccessible(true);
            if (loadFromImage("xgboost4j")) {
                initialized.setBoolean(null, true);
            }
        } catch (ReflectiveOperationException | RuntimeException e) {
            // A changed XGBoost4J: fall back to its own unpacking, which works where /tmp allows
            // it.
            System.err.println(
                    "note: could not preload XGBoost's library (" + e + "); it will unpack itself");
        }
    }
}
