/**
 * Raw log lines to events: the header/content split of a {@link dev.byoe.logs.LogFormat}, regex
 * masking, and the Drain parser (He et al., ICWS 2017) whose state is saved with a model so that
 * serving parses new lines exactly as training did; and the grouping accuracy it is judged by.
 */
package dev.byoe.logs;
