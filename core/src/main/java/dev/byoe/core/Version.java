package dev.byoe.core;

/** byoe's version, from the jar manifest when running from the jar. */
public final class Version {
    private Version() {}

    public static String get() {
        String v = Version.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }
}
