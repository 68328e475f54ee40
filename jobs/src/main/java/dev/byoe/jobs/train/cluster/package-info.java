/**
 * A training job on several hosts: who leads ({@link dev.byoe.jobs.train.cluster.Cluster}), how the
 * leader and the others talk ({@link dev.byoe.jobs.train.cluster.Coordinator} on the leader, {@link
 * dev.byoe.jobs.train.cluster.CoordinatorClient} on the others, both behind {@link
 * dev.byoe.jobs.train.cluster.Team}), and how one host's failure ends the job on every host, named.
 * XGBoost's own tracker and collective carry the data-parallel training; this package carries only
 * the job's bookkeeping: who joined, finished work units, and the verdict.
 */
package dev.byoe.jobs.train.cluster;
