package dev.byoe.jobs.train.cluster;

import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * This host's side of a training job's hosts: what the ensemble run asks of the others. One host
 * alone is a team too ({@link #forHost}), so that the run is written once.
 */
public interface Team extends AutoCloseable {
    /** How often the others ask the leader how the job stands (and so show they are alive). */
    long POLL_MILLIS = 1000;

    Cluster cluster();

    /**
     * Joins the others. {@code summary} says what data this host read; the leader fails the job
     * when the hosts' summaries disagree where they must agree ({@code must_agree}).
     *
     * @return the units the leader already holds (from checkpoints), which nobody trains again
     */
    Set<String> join(Map<String, Object> summary);

    /** Hands a finished unit (its folder) to the leader; the leader keeps its own. */
    void deliver(String unit, Path folder);

    /**
     * What every host needs to begin training on all rows: the leader makes it once the fold units
     * are in ({@code make}), the others wait for it.
     */
    Map<String, Object> secondPhase(Supplier<Map<String, Object>> make);

    /** The leader waits until every unit in {@code units} has arrived; others return. */
    void awaitUnits(Set<String> units);

    /** This host is done: the leader, after writing the model; the others, until the leader is. */
    void finished();

    /**
     * This host failed. Reports it to the leader and blocks until the job's verdict is known (the
     * cause may be another host); the verdict handler then ends the process.
     */
    void failed(String reason, boolean secondary);

    @Override
    void close();

    /**
     * What each host said of its data when it joined, by host (the leader's view; the others know
     * only their own).
     */
    Map<String, Map<String, Object>> summaries();

    /**
     * This host's team: alone on one host, the coordinator on the leader, its client elsewhere.
     * {@code verdictHandler} hears, once, the failure that ends the job; it must end the process.
     */
    static Team forHost(Cluster cluster, UnitInbox inbox, Consumer<HostFailure> verdictHandler) {
        if (cluster.size() == 1) {
            return new Coordinator.Solo(cluster, inbox);
        }
        return cluster.isLeader()
                ? new Coordinator(cluster, inbox, verdictHandler)
                : new CoordinatorClient(cluster, verdictHandler);
    }

    /** Where the leader keeps units that arrive from the others. */
    interface UnitInbox {
        /** A unit packed as a gzipped tar, to unpack and keep. */
        void receive(String unit, Path archive) throws java.io.IOException;

        /** Whether the leader holds this unit. */
        boolean holds(String unit);

        /** Every unit the leader holds. */
        Set<String> held();
    }
}
