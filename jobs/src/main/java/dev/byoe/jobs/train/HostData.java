package dev.byoe.jobs.train;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.byoe.core.Json;
import dev.byoe.jobs.contract.ChannelConfig;
import dev.byoe.jobs.train.cluster.Cluster;
import dev.byoe.jobs.train.cluster.Team;
import dev.byoe.jobs.train.data.Table;
import dev.byoe.model.artifact.Manifest;
import dev.byoe.training.member.FeatureGrid;
import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What one host read, as the other hosts, the checkpoints and the manifest see it.
 *
 * @param sharded whether the train channel gives each of several hosts only its own files
 */
record HostData(Table train, Table validation, ChannelConfig trainChannel, boolean sharded) {
    /**
     * For the leader to compare: what must be alike on every host (columns, their kinds, the
     * classes; with replicated channels the files themselves), and this host's rows.
     */
    Map<String, Object> summary() {
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("must_agree", mustAgree());
        summary.put("rows", train.dataset().rows());
        summary.put("files", fileDigests(train).size());
        if (sharded) {
            // Only the leader sees every host's rows: it makes the shared feature grid from these.
            // Sharded training has numeric features only, so the features are the matrix.
            var features = train.dataset().features();
            summary.put(
                    VALUES,
                    FeatureGrid.coarsen(
                            FeatureGrid.valueCounts(
                                    features.numeric(), features.rows(), features.schema().size()),
                            VALUES_SENT));
        }
        return summary;
    }

    private Map<String, Object> mustAgree() {
        Map<String, Object> agree = new LinkedHashMap<>();
        agree.put("columns", train.columns());
        agree.put("features", Manifest.featureEntries(train.dataset().schema()).toString());
        agree.put("classes", String.valueOf(train.dataset().target().classes()));
        if (!sharded) {
            agree.put("train", fileDigests(train));
        }
        if (validation != null) {
            agree.put("validation", fileDigests(validation));
        }
        return agree;
    }

    /** Where a sharded host's summary holds each feature's values and their counts. */
    static final String VALUES = "feature_values";

    /**
     * Distinct values per feature a host sends at most (a few MB at most per feature): up to this
     * the shared grid is exactly one host's; beyond, its points' ranks are within 1/20,000 of the
     * rows, far inside a bin (1/255).
     */
    static final int VALUES_SENT = 20_000;

    /** Every host's value counts, from the summaries the leader holds, as one. */
    static List<SortedMap<Float, Long>> allValues(Map<String, Map<String, Object>> summaries) {
        List<List<Map<Float, Long>>> parts = new ArrayList<>();
        for (Map<String, Object> s : summaries.values()) {
            parts.add(Json.MAPPER.convertValue(s.get(VALUES), new TypeReference<>() {}));
        }
        return FeatureGrid.merge(parts);
    }

    /**
     * Names the checkpoint folder after everything a unit's outcome depends on: hyperparameters,
     * the files this host read, the number of hosts (data-parallel shares). A changed job never
     * resumes from another's units.
     */
    String checkpointKey(Map<String, String> hyperparameters, int hosts) {
        Map<String, Object> key = new TreeMap<>();
        hyperparameters.forEach(
                (k, v) -> {
                    if (!k.startsWith("_") && !k.startsWith("sagemaker_")) {
                        key.put("hp." + k, v);
                    }
                });
        key.put("data", mustAgree());
        key.put("train", fileDigests(train));
        key.put("hosts", hosts);
        try {
            byte[] digest =
                    MessageDigest.getInstance("SHA-256").digest(Json.MAPPER.writeValueAsBytes(key));
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (IOException | NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The log line saying which part of the data this host trains on. */
    String describeShare(Cluster cluster) {
        int rows = train.dataset().rows();
        if (cluster.size() == 1) {
            return "one host: every unit trains here, on all " + rows + " rows";
        }
        if (sharded) {
            return String.format(
                    Locale.ROOT,
                    "%s holds its own files of channel 'train' (ShardedByS3Key): %d files, %d rows; "
                            + "it trains data-parallel members on all of them",
                    cluster.current(),
                    fileDigests(train).size(),
                    rows);
        }
        int[] share = EnsembleRun.replicatedShare(rows, cluster.index(), cluster.size());
        return String.format(
                Locale.ROOT,
                "%s holds every row of channel 'train' (%s, %d rows); data-parallel members train "
                        + "here on rows %d..%d (its 1/%d), and this host takes its turn of the other units",
                cluster.current(),
                distribution(),
                rows,
                share.length == 0 ? 0 : share[0],
                share.length == 0 ? 0 : share[share.length - 1] + 1,
                cluster.size());
    }

    /** The manifest's record of the hosts and how the data was split among them. */
    Map<String, Object> clusterRecord(Team team) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("hosts", team.cluster().hosts());
        out.put("leader", team.cluster().leader());
        out.put("train_distribution", distribution());
        out.put(
                "split",
                team.cluster().size() == 1
                        ? "one host: every unit here"
                        : sharded
                                ? "each host trains data-parallel members on its own files"
                                : "each host trains data-parallel members on a contiguous 1/N of the rows; "
                                        + "the other units take turns across hosts");
        Map<String, Object> rows = new LinkedHashMap<>();
        team.summaries().forEach((h, s) -> rows.put(h, s.get("rows")));
        out.put("rows_by_host", rows);
        return out;
    }

    private String distribution() {
        return trainChannel.distribution() == null
                ? "FullyReplicated"
                : trainChannel.distribution();
    }

    @SuppressWarnings("unchecked")
    private static List<String> fileDigests(Table table) {
        List<String> out = new ArrayList<>();
        if (table.provenance().get("files") instanceof List<?> files) {
            for (Object f : files) {
                Map<String, Object> m = (Map<String, Object>) f;
                out.add(m.get("name") + "@" + m.get("sha256"));
            }
        }
        return out;
    }
}
