package dev.byoe.jobs.train.cluster;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Bytes this host's network interfaces (loopback aside) received and sent, from {@code
 * /proc/net/dev}: what a multi-host job exchanged, XGBoost's collective included, read off the
 * kernel rather than estimated. Zero where the file is missing.
 */
public record NetworkCounters(long received, long sent) {
    private static final Path DEV = Path.of("/proc/net/dev");

    public static NetworkCounters now() {
        long rx = 0;
        long tx = 0;
        try {
            List<String> lines = Files.readAllLines(DEV);
            for (String line : lines.subList(Math.min(2, lines.size()), lines.size())) {
                int colon = line.indexOf(':');
                if (colon < 0 || line.substring(0, colon).strip().equals("lo")) {
                    continue;
                }
                String[] f = line.substring(colon + 1).strip().split("\\s+");
                rx += Long.parseLong(f[0]);
                tx += Long.parseLong(f[8]);
            }
        } catch (IOException | RuntimeException e) {
            return new NetworkCounters(0, 0);
        }
        return new NetworkCounters(rx, tx);
    }

    public NetworkCounters since(NetworkCounters start) {
        return new NetworkCounters(received - start.received, sent - start.sent);
    }
}
