package dev.byoe.jobs.train.cluster;

import dev.byoe.core.JobFailure;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The hosts of a training job as {@code resourceconfig.json} lists them, this host among them, and
 * how they reach the leader (the first host listed).
 *
 * @param hosts every host, in the file's order; the first leads
 * @param current this host
 * @param addresses test-only: host name to {@code address[:port]} (from {@link #ADDRESSES}), for
 *     several JVMs on one machine; empty on SageMaker, where names resolve
 * @param joinTimeout how long hosts wait for each other to start (and for XGBoost's tracker)
 * @param silenceTimeout how long a host may go without a word before the job fails naming it
 */
public record Cluster(
        List<String> hosts,
        String current,
        Map<String, String> addresses,
        Duration joinTimeout,
        Duration silenceTimeout) {
    /**
     * For tests only: {@code algo-1=127.0.0.1:19100,algo-2=127.0.0.1:19101}, so that JVMs on one
     * machine stand in for hosts. On SageMaker each host resolves the others by name.
     */
    public static final String ADDRESSES = "BYOE_HOST_ADDRESSES";

    /** The leader's port for the job's bookkeeping (XGBoost's tracker takes a free one). */
    public static final int PORT = 9100;

    public Cluster {
        hosts = List.copyOf(hosts);
        addresses = Map.copyOf(addresses);
        if (!hosts.contains(current)) {
            throw new JobFailure(
                    "resourceconfig.json names current_host "
                            + current
                            + ", which is not among its hosts "
                            + hosts);
        }
    }

    public static Map<String, String> parseAddresses(String value) {
        Map<String, String> out = new LinkedHashMap<>();
        if (value == null || value.isBlank()) {
            return out;
        }
        for (String part : value.split(",")) {
            int eq = part.indexOf('=');
            if (eq <= 0) {
                throw new JobFailure(
                        ADDRESSES + " entry '" + part + "' is not host=address[:port]");
            }
            out.put(part.substring(0, eq).strip(), part.substring(eq + 1).strip());
        }
        return out;
    }

    public String leader() {
        return hosts.getFirst();
    }

    public boolean isLeader() {
        return leader().equals(current);
    }

    public int size() {
        return hosts.size();
    }

    /** This host's position in the list: its share of replicated rows, its units. */
    public int index() {
        return hosts.indexOf(current);
    }

    /** Where the others reach the leader's coordinator. */
    public URI coordinator() {
        return URI.create("http://" + hostPart(leader()) + ":" + port(leader()) + "/");
    }

    /** The port the leader's coordinator listens on. */
    public int leaderPort() {
        return port(leader());
    }

    /**
     * The address the leader's XGBoost tracker listens on, which every host must reach: the one its
     * own name resolves to.
     */
    public String leaderAddress() {
        String host = hostPart(leader());
        try {
            return InetAddress.getByName(host).getHostAddress();
        } catch (UnknownHostException e) {
            throw new JobFailure(
                    "the leader's name " + host + " does not resolve: " + e.getMessage());
        }
    }

    private String hostPart(String host) {
        String a = addresses.get(host);
        if (a == null) {
            return host;
        }
        int colon = a.lastIndexOf(':');
        return colon < 0 ? a : a.substring(0, colon);
    }

    private int port(String host) {
        String a = addresses.get(host);
        int colon = a == null ? -1 : a.lastIndexOf(':');
        return colon < 0 ? PORT : Integer.parseInt(a.substring(colon + 1));
    }
}
