package dev.byoe.spark;

import java.util.concurrent.atomic.AtomicLong;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;

/**
 * Counts the bytes the job's tasks write to Spark's shuffle (sessions grouped by key, lines spread
 * over partitions), for the summary: what a cluster would move over its network.
 */
final class ShuffleBytes extends SparkListener {
    private final AtomicLong written = new AtomicLong();

    @Override
    public void onTaskEnd(SparkListenerTaskEnd end) {
        if (end.taskMetrics() != null) {
            written.addAndGet(end.taskMetrics().shuffleWriteMetrics().bytesWritten());
        }
    }

    long written() {
        return written.get();
    }
}
