/**
 * Raw log lines to events: the header/content split of a {@link dev.byoe.ensemble.logs.LogFormat},
 * regex masking, and the Drain parser (He et al., ICWS 2017) whose state saves with a model so that
 * serving parses new lines exactly as training did.
 */
package dev.byoe.ensemble.logs;
