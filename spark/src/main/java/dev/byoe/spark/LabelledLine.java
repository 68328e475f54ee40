package dev.byoe.spark;

import java.io.Serializable;

/**
 * A line with its event named (see {@link EventLabeller}): the event ({@code -1} when it does not
 * match the log format, then {@code malformed} holds where it is and its text), its sessions, and
 * its row of {@code structured.csv} between its line id and its event, when that file is written.
 */
record LabelledLine(
        long position, int event, String[] sessions, String structuredFields, String malformed)
        implements Serializable {}
