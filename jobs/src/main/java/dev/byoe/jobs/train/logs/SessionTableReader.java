package dev.byoe.jobs.train.logs;

import dev.byoe.core.JobFailure;
import dev.byoe.core.data.CsvRecordReader;
import dev.byoe.jobs.train.data.ChannelSource;
import dev.byoe.model.anomaly.SessionBatch;
import dev.byoe.training.anomaly.LabelledSessions;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Reads session files: CSV with a header naming the sequence column (as {@code process} writes
 * {@code sessions.csv}: {@code SessionId[,Label],Length,EventSequence}). Labels are optional; a bad
 * event token or label fails the job naming the file, line and column.
 */
final class SessionTableReader {
    private SessionTableReader() {}

    static LabelledSessions read(List<ChannelSource> sources, LogAnomalySpec spec) {
        List<String> ids = new ArrayList<>();
        List<int[]> sequences = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        for (ChannelSource source : sources) {
            try (BufferedReader r =
                    new BufferedReader(
                            new InputStreamReader(source.open(), StandardCharsets.UTF_8),
                            1 << 16)) {
                CsvRecordReader csv = new CsvRecordReader(r);
                String[] header = csv.next();
                if (header == null) {
                    continue;
                }
                int seq = indexOf(header, spec.sequenceColumn());
                if (seq < 0) {
                    throw new JobFailure(
                            source.displayName()
                                    + ": no column '"
                                    + spec.sequenceColumn()
                                    + "' in the header "
                                    + Arrays.toString(header)
                                    + " (set sequence_column; process writes sessions.csv with EventSequence)");
                }
                int label = indexOf(header, spec.labelColumn());
                int id = spec.idColumn().isBlank() ? 0 : indexOf(header, spec.idColumn());
                if (id < 0) {
                    throw new JobFailure(
                            source.displayName()
                                    + ": no id column '"
                                    + spec.idColumn()
                                    + "' in the header "
                                    + Arrays.toString(header));
                }
                String[] row;
                while ((row = csv.next()) != null) {
                    if (row.length == 1 && row[0].isEmpty()) {
                        continue;
                    }
                    String where = source.displayName() + " line " + csv.recordLine();
                    if (row.length != header.length) {
                        throw new JobFailure(
                                where
                                        + ": "
                                        + row.length
                                        + " columns, the header has "
                                        + header.length);
                    }
                    try {
                        sequences.add(SessionBatch.parseSequence(row[seq]));
                    } catch (IllegalArgumentException e) {
                        throw new JobFailure(
                                where + ", column '" + header[seq] + "': " + e.getMessage());
                    }
                    ids.add(row[id]);
                    labels.add(
                            label < 0
                                    ? -1
                                    : label(
                                            row[label],
                                            where + ", column '" + header[label] + "'"));
                }
            } catch (IOException e) {
                throw new JobFailure(
                        "cannot read " + source.displayName() + ": " + e.getMessage(), e);
            }
        }
        if (ids.isEmpty()) {
            throw new JobFailure("channel '" + sources.getFirst().channel() + "' has no sessions");
        }
        return new LabelledSessions(
                new SessionBatch(ids, sequences.toArray(new int[0][])),
                labels.stream().mapToInt(Integer::intValue).toArray());
    }

    private static int indexOf(String[] header, String name) {
        for (int i = 0; i < header.length; i++) {
            if (header[i].strip().equalsIgnoreCase(name)) {
                return i;
            }
        }
        return -1;
    }

    /** 1/0, Anomaly/Normal, true/false; empty is unknown (-1). */
    static int label(String value, String where) {
        String v = value.strip().toLowerCase(Locale.ROOT);
        return switch (v) {
            case "" -> -1;
            case "1", "anomaly", "abnormal", "true" -> 1;
            case "0", "normal", "false" -> 0;
            default ->
                    throw new JobFailure(
                            where
                                    + ": label '"
                                    + value
                                    + "' is not one of 1/0, Anomaly/Normal, true/false");
        };
    }
}
