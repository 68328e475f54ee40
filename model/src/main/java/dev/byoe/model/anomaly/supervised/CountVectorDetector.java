package dev.byoe.model.anomaly.supervised;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.byoe.core.Json;
import dev.byoe.core.data.Feature;
import dev.byoe.core.data.FeatureBatch;
import dev.byoe.core.data.FeatureKind;
import dev.byoe.core.data.FeatureSchema;
import dev.byoe.core.data.Objective;
import dev.byoe.core.data.Target;
import dev.byoe.model.anomaly.AnomalyDetector;
import dev.byoe.model.anomaly.AnomalyScores;
import dev.byoe.model.anomaly.DetectorFormat;
import dev.byoe.model.anomaly.SessionBatch;
import dev.byoe.model.member.MemberException;
import dev.byoe.model.member.MemberFormat;
import dev.byoe.model.member.MemberModel;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A tabular member scoring sessions: features are the session's event counts {@code E0..En}, the
 * score is the member's P(anomaly) and the threshold 0.5. Saved as the tabular member's own files
 * plus {@code counts.json} with the number of events.
 */
public record CountVectorDetector(String type, FeatureSchema schema, MemberModel model)
        implements AnomalyDetector {
    /** The label a count-vector member learns: anomalous (1) or not (0). */
    public static final Target TARGET = new Target("anomaly", Objective.BINARY, List.of("0", "1"));

    private static final String FILE = "counts.json";
    private static final ObjectMapper JSON = Json.MAPPER;

    /** The log format of a tabular member: its name, its files plus {@code counts.json}. */
    public static DetectorFormat format(MemberFormat tabular) {
        return new DetectorFormat(tabular.name(), directory -> load(tabular, directory));
    }

    private static AnomalyDetector load(MemberFormat tabular, Path directory)
            throws MemberException {
        try {
            int events = JSON.readTree(directory.resolve(FILE).toFile()).get("event_count").asInt();
            FeatureSchema schema = schema(events);
            return new CountVectorDetector(
                    tabular.name(), schema, tabular.load(directory, schema, TARGET));
        } catch (IOException | RuntimeException e) {
            throw new MemberException(
                    "cannot load the "
                            + tabular.name()
                            + " log member from "
                            + directory
                            + ": "
                            + e.getMessage(),
                    e);
        }
    }

    /** E0..E(n-1): one count column per event id. */
    public static FeatureSchema schema(int events) {
        List<Feature> f = new ArrayList<>(events);
        for (int e = 0; e < events; e++) {
            f.add(new Feature("E" + e, FeatureKind.NUMERIC));
        }
        return new FeatureSchema(f);
    }

    /** The sessions as rows of event counts; ids out of range count as event 0. */
    public static FeatureBatch batch(FeatureSchema schema, SessionBatch sessions) {
        int m = schema.size();
        float[] cells = new float[sessions.size() * m];
        for (int s = 0; s < sessions.size(); s++) {
            for (int e : sessions.events()[s]) {
                cells[s * m + (e >= 0 && e < m ? e : 0)]++;
            }
        }
        return new FeatureBatch(schema, sessions.size(), cells, new String[0]);
    }

    @Override
    public AnomalyScores score(SessionBatch sessions) {
        try {
            return new AnomalyScores(model.predict(batch(schema, sessions)).values(), 0.5);
        } catch (MemberException e) {
            throw new IllegalStateException(type + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void save(Path directory) throws IOException {
        model.save(directory);
        JSON.writeValue(
                directory.resolve(FILE).toFile(),
                Map.of("event_count", schema.size(), "features", "E0..E" + (schema.size() - 1)));
    }

    @Override
    public boolean holdsUncountedNativeMemory() {
        return model.holdsUncountedNativeMemory();
    }

    @Override
    public void close() {
        model.close();
    }
}
