package dev.byoe.spark;

import java.io.Serializable;

/**
 * A line after the frozen parser saw it: its event ({@code -1} when it does not match the log
 * format, then {@code malformed} holds where it is and its text), its sessions, and its row of
 * {@code structured.csv} up to the event when that file is written.
 */
record LabelledLine(
        long position, int event, String[] sessions, String structuredPrefix, String malformed)
        implements Serializable {}
