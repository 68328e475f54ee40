package dev.byoe.spark;

import org.apache.spark.Partitioner;

/**
 * Cuts lines numbered 0..n-1 into contiguous ranges, one per partition, so that input Spark cannot
 * split (a gzipped file is one partition) still spreads over the cluster in its own order.
 */
final class LineRanges extends Partitioner {
    private static final long serialVersionUID = 1L;

    private final int partitions;
    private final long perPartition;

    LineRanges(int partitions, long lines) {
        this.partitions = partitions;
        this.perPartition = Math.max(1, (lines + partitions - 1) / partitions);
    }

    @Override
    public int numPartitions() {
        return partitions;
    }

    @Override
    public int getPartition(Object key) {
        return (int) Math.min((Long) key / perPartition, partitions - 1);
    }
}
