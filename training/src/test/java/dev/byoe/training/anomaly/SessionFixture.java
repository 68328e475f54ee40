package dev.byoe.training.anomaly;

import dev.byoe.model.anomaly.SessionBatch;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The HDFS session fixtures in {@code data/hdfs} (see data/SOURCES.md). */
public final class SessionFixture {
    public static final Path DIR =
            Path.of(System.getProperty("byoe.root", "..")).resolve("data/hdfs");

    private SessionFixture() {}

    /** {@code BlockId,Label,Length,EventSequence} rows. */
    public static LabelledSessions read(String file) throws IOException {
        List<String> lines = Files.readAllLines(DIR.resolve(file));
        List<String> ids = new ArrayList<>();
        List<int[]> events = new ArrayList<>();
        int[] labels = new int[lines.size() - 1];
        for (int i = 1; i < lines.size(); i++) {
            String[] f = lines.get(i).split(",");
            ids.add(f[0]);
            labels[i - 1] = Integer.parseInt(f[1]);
            events.add(SessionBatch.parseSequence(f[3]));
        }
        return new LabelledSessions(new SessionBatch(ids, events.toArray(new int[0][])), labels);
    }

    public static LabelledSessions train() throws IOException {
        return read("sessions-train.csv");
    }

    public static LabelledSessions validation() throws IOException {
        return read("sessions-validation.csv");
    }
}
