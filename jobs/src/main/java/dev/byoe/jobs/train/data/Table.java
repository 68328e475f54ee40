package dev.byoe.jobs.train.data;

import dev.byoe.core.data.Dataset;
import java.util.List;
import java.util.Map;

/**
 * A channel read into a dataset, with how it was read: the file's columns (label included), the
 * label's position, whether there was a header row, the provenance of every file, and the rows
 * skipped as unusable ({@code bad_rows=skip}) with the first few of them named, and the libsvm
 * index base the channel was read with (-1 for other formats).
 */
public record Table(
        Dataset dataset,
        List<String> columns,
        int targetIndex,
        boolean header,
        Map<String, Object> provenance,
        long skippedRows,
        List<String> skippedExamples,
        int libsvmIndexBase) {}
