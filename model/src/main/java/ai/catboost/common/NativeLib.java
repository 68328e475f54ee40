package ai.catboost.common;

import dev.byoe.model.NativeLibraries;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * byoe's replacement for catboost-common's loader, with the same public API (catboost-prediction
 * calls {@code smartLoad} directly, catboost-spark's JNI by reflection). CatBoost's own version
 * always unpacks the library into {@code java.io.tmpdir}; this one first loads it from the folder
 * the image unpacked at build time, and unpacks only when there is none. The shaded jar leaves
 * CatBoost's original class out.
 */
public class NativeLib {
    public NativeLib() {}

    public static synchronized void smartLoad(String name) throws IOException {
        if (NativeLibraries.loadFromImage(name)) {
            return;
        }
        String resource = "/" + platformDir() + "/lib/" + System.mapLibraryName(name);
        try (InputStream in = NativeLib.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IOException("native library " + resource + " is not in the class path");
            }
            Path file = Files.createTempFile(name + "-", ".so");
            file.toFile().deleteOnExit();
            Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
            System.load(file.toString());
        }
    }

    private static String platformDir() {
        String arch = System.getProperty("os.arch").toLowerCase(java.util.Locale.ROOT);
        String os = System.getProperty("os.name").toLowerCase(java.util.Locale.ROOT);
        String cpu =
                arch.equals("amd64") || arch.equals("x86_64")
                        ? "x86_64"
                        : arch.equals("aarch64") ? "aarch64" : arch;
        if (os.contains("mac") || os.contains("darwin")) {
            return "darwin-universal2";
        }
        return (os.contains("win") ? "win32" : "linux") + "-" + cpu;
    }
}
