/**
 * Input files: compression detected by content rather than by name, and log lines read in a
 * declared charset with malformed bytes replaced rather than fatal.
 */
package dev.byoe.core.io;
