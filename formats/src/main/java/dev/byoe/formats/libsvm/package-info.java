/**
 * libsvm text ({@code text/libsvm}): {@code label index:value index:value ...} per line. An index
 * absent from a line is the value 0, as the format defines it (so a CSV file and its libsvm dump
 * hold the same numbers); indices are 1-based unless a file uses index 0, and the base is recorded
 * with the data it came from.
 */
package dev.byoe.formats.libsvm;
