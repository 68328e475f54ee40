package dev.byoe.training.catboost;

import dev.byoe.model.NativeLibraries;
import dev.byoe.model.member.MemberException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@link CatBoostFitMain} in a child JVM on the same class path and waits for it. Whatever the
 * native code does (including {@code exit()}), this JVM survives and gets the reason.
 */
final class CatBoostFitProcess {
    private static final int LOG_TAIL_CHARS = 2000;

    private CatBoostFitProcess() {}

    static void fit(List<String> catboostArgs, Path workDir) throws MemberException {
        Path log = workDir.resolve("catboost.log");
        Path nativeDir = workDir.resolve("native");
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("--enable-native-access=ALL-UNNAMED");
        cmd.add("-XX:+UseSerialGC");
        cmd.add("-XX:TieredStopAtLevel=1");
        cmd.add("-Xmx512m");
        // The native library is unpacked into java.io.tmpdir: keep it in this fit's own folder.
        cmd.add("-Djava.io.tmpdir=" + nativeDir);
        // Where the image keeps its libraries unpacked, the child loads them from there too.
        String nativeLibraries = System.getProperty(NativeLibraries.DIR_PROPERTY);
        if (nativeLibraries != null) {
            cmd.add("-D" + NativeLibraries.DIR_PROPERTY + "=" + nativeLibraries);
        }
        cmd.add("-cp");
        cmd.add(absoluteClassPath());
        cmd.add(CatBoostFitMain.class.getName());
        cmd.addAll(catboostArgs);
        int exit;
        try {
            Files.createDirectories(nativeDir);
            Process p =
                    new ProcessBuilder(cmd)
                            .redirectErrorStream(true)
                            .redirectOutput(log.toFile())
                            .directory(workDir.toFile())
                            .start();
            try {
                p.waitFor();
            } catch (InterruptedException e) {
                p.destroyForcibly();
                p.waitFor(10, TimeUnit.SECONDS);
                Thread.currentThread().interrupt();
                throw new MemberException("CatBoost training was interrupted");
            }
            exit = p.exitValue();
        } catch (IOException e) {
            throw new MemberException(
                    "cannot start the CatBoost training process: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MemberException("CatBoost training was interrupted");
        }
        if (exit != 0) {
            throw new MemberException("CatBoost training failed (exit " + exit + "): " + tail(log));
        }
    }

    /**
     * The child runs in its own folder, so a relative class path ({@code java -jar dist/byoe.jar})
     * must be made absolute.
     */
    private static String absoluteClassPath() {
        List<String> entries = new ArrayList<>();
        for (String e : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
            if (!e.isEmpty()) {
                entries.add(Path.of(e).toAbsolutePath().toString());
            }
        }
        return String.join(java.io.File.pathSeparator, entries);
    }

    private static String tail(Path log) {
        try {
            String text = Files.readString(log, StandardCharsets.UTF_8).strip();
            if (text.isEmpty()) {
                return "no output";
            }
            return text.length() <= LOG_TAIL_CHARS
                    ? text
                    : "..." + text.substring(text.length() - LOG_TAIL_CHARS);
        } catch (IOException e) {
            return "no log (" + e.getMessage() + ")";
        }
    }
}
