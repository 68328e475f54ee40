package dev.byoe.serve.http;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.server.internal.HttpConnection;

/**
 * Closes a connection whose request line and headers take longer than {@code limit} to arrive.
 * Jetty's idle timeout restarts with every byte, so a client sending one header byte a second would
 * hold a connection (and a file descriptor) for as long as it likes.
 */
final class HeaderReadTimeout implements Connection.Listener, AutoCloseable {
    private final long limitNanos;

    /**
     * Open connections, with the time the current request's headers started arriving (0: not
     * reading headers).
     */
    private final Map<HttpConnection, Long> headersSince = new ConcurrentHashMap<>();

    private final ScheduledExecutorService sweeper =
            Executors.newSingleThreadScheduledExecutor(
                    r -> {
                        Thread t = new Thread(r, "byoe-header-timeout");
                        t.setDaemon(true);
                        return t;
                    });

    HeaderReadTimeout(Duration limit) {
        this.limitNanos = limit.toNanos();
        long period = Math.max(100, limit.toMillis() / 4);
        sweeper.scheduleAtFixedRate(this::sweep, period, period, TimeUnit.MILLISECONDS);
    }

    @Override
    public void onOpened(Connection connection) {
        if (connection instanceof HttpConnection http) {
            headersSince.put(http, 0L);
        }
    }

    @Override
    public void onClosed(Connection connection) {
        if (connection instanceof HttpConnection http) {
            headersSince.remove(http);
        }
    }

    private void sweep() {
        long now = System.nanoTime();
        headersSince.replaceAll(
                (connection, since) -> {
                    // START is an idle keep-alive connection waiting for a request: the idle
                    // timeout covers it.
                    boolean reading =
                            connection.getParser().inHeaderState()
                                    && !connection
                                            .getParser()
                                            .isState(org.eclipse.jetty.http.HttpParser.State.START);
                    if (!reading) {
                        return 0L;
                    }
                    if (since == 0L) {
                        return now;
                    }
                    if (now - since > limitNanos) {
                        connection.getEndPoint().close();
                    }
                    return since;
                });
    }

    @Override
    public void close() {
        sweeper.shutdownNow();
    }
}
