package dev.byoe.jobs.train.cluster;

/**
 * Why a multi-host job ended: the host at fault and what happened there. Every host writes it to
 * its failure file.
 *
 * @param secondary whether it is a consequence (a host lost its peers in XGBoost's collective)
 *     rather than the cause; a cause, once known, wins
 */
public record HostFailure(String host, String reason, boolean secondary) {
    public String describe() {
        return "host " + host + " failed: " + reason;
    }
}
