package dev.byoe.spark;

import java.io.Serializable;

/**
 * One raw line and where it is: {@code position} orders lines as the input does (the partition in
 * the high bits, the line within it below), {@code where} names its file and byte offset for error
 * messages.
 */
record LogLine(long position, String where, String text) implements Serializable {
    /** Positions of a partition's lines: partitions hold files in order, lines in file order. */
    static long position(int partition, long lineInPartition) {
        return ((long) partition << 40) | lineInPartition;
    }

    /** The line's number in the whole input, given where each partition's lines start. */
    static long number(long position, long[] firstOfPartition) {
        return firstOfPartition[(int) (position >>> 40)] + (position & ((1L << 40) - 1));
    }
}
