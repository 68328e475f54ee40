package dev.byoe.jobs.train.data;

import dev.byoe.core.data.Objective;
import java.util.List;

/**
 * How to read a channel's CSV: which column is the label (index, negative from the end, or header
 * name), whether files have a header row ({@code auto}, {@code true}, {@code false}), and which
 * columns are categorical regardless of their content, and whether rows that cannot be used are
 * skipped (counted, the first few named in the log and the model's provenance) or end the job.
 */
public record ReadOptions(
        Objective objective,
        String targetColumn,
        String header,
        List<String> categoricalColumns,
        boolean skipBadRows) {}
