package dev.byoe.ensemble.anomaly.supervised;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.byoe.ensemble.Json;
import dev.byoe.ensemble.anomaly.AnomalyDetector;
import dev.byoe.ensemble.anomaly.AnomalyMemberType;
import dev.byoe.ensemble.anomaly.AnomalyScores;
import dev.byoe.ensemble.anomaly.AnomalyTrainer;
import dev.byoe.ensemble.anomaly.LabelledSessions;
import dev.byoe.ensemble.anomaly.SessionBatch;
import dev.byoe.ensemble.data.Dataset;
import dev.byoe.ensemble.data.Feature;
import dev.byoe.ensemble.data.FeatureBatch;
import dev.byoe.ensemble.data.FeatureKind;
import dev.byoe.ensemble.data.FeatureSchema;
import dev.byoe.ensemble.data.Objective;
import dev.byoe.ensemble.data.Target;
import dev.byoe.ensemble.member.HyperparameterDefinition;
import dev.byoe.ensemble.member.MemberException;
import dev.byoe.ensemble.member.MemberModel;
import dev.byoe.ensemble.member.MemberSettings;
import dev.byoe.ensemble.member.MemberType;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A tabular member as a log member: features are the session's event counts {@code E0..En}, the
 * label is anomalous or not, the score is P(anomaly) and the threshold 0.5. Needs labelled sessions
 * of both kinds in the training data.
 */
public final class CountVectorClassifier implements AnomalyMemberType {
    private static final Target TARGET = new Target("anomaly", Objective.BINARY, List.of("0", "1"));
    private static final String FILE = "counts.json";
    private static final ObjectMapper JSON = Json.MAPPER;

    private final MemberType tabular;

    public CountVectorClassifier(MemberType tabular) {
        this.tabular = tabular;
    }

    @Override
    public String name() {
        return tabular.name();
    }

    @Override
    public List<HyperparameterDefinition> hyperparameters() {
        return tabular.hyperparameters();
    }

    @Override
    public boolean supervised() {
        return true;
    }

    @Override
    public AnomalyTrainer trainer(MemberSettings settings) {
        MemberSettings binary =
                new MemberSettings(
                        Objective.BINARY,
                        settings.seed(),
                        settings.threads(),
                        settings.hyperparameters());
        return (train, ctx) -> {
            List<Integer> rows = new ArrayList<>();
            long anomalies = 0;
            for (int i = 0; i < train.size(); i++) {
                if (train.labels()[i] >= 0) {
                    rows.add(i);
                    anomalies += train.labels()[i];
                }
            }
            if (anomalies == 0 || anomalies == rows.size()) {
                throw new MemberException(
                        name()
                                + " learns from labels: the training sessions need both anomalous and normal "
                                + "labelled sessions (found "
                                + anomalies
                                + " anomalous of "
                                + rows.size()
                                + " labelled)");
            }
            LabelledSessions labelled =
                    train.select(rows.stream().mapToInt(Integer::intValue).toArray());
            FeatureSchema schema = schema(ctx.eventCount());
            double[] y = new double[labelled.size()];
            for (int i = 0; i < y.length; i++) {
                y[i] = labelled.labels()[i];
            }
            Dataset data = new Dataset(batch(schema, labelled.sessions()), y, TARGET);
            MemberModel model = tabular.trainer(binary).train(data);
            return new Detector(name(), schema, model);
        };
    }

    @Override
    public AnomalyDetector load(Path directory) throws MemberException {
        try {
            int events = JSON.readTree(directory.resolve(FILE).toFile()).get("event_count").asInt();
            FeatureSchema schema = schema(events);
            return new Detector(name(), schema, tabular.load(directory, schema, TARGET));
        } catch (IOException | RuntimeException e) {
            throw new MemberException(
                    "cannot load the "
                            + name()
                            + " log member from "
                            + directory
                            + ": "
                            + e.getMessage(),
                    e);
        }
    }

    static FeatureSchema schema(int events) {
        List<Feature> f = new ArrayList<>(events);
        for (int e = 0; e < events; e++) {
            f.add(new Feature("E" + e, FeatureKind.NUMERIC));
        }
        return new FeatureSchema(f);
    }

    static FeatureBatch batch(FeatureSchema schema, SessionBatch sessions) {
        int m = schema.size();
        float[] cells = new float[sessions.size() * m];
        for (int s = 0; s < sessions.size(); s++) {
            for (int e : sessions.events()[s]) {
                cells[s * m + (e >= 0 && e < m ? e : 0)]++;
            }
        }
        return new FeatureBatch(schema, sessions.size(), cells, new String[0]);
    }

    private record Detector(String type, FeatureSchema schema, MemberModel model)
            implements AnomalyDetector {
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
                    Map.of(
                            "event_count",
                            schema.size(),
                            "features",
                            "E0..E" + (schema.size() - 1)));
        }

        @Override
        public void close() {
            model.close();
        }
    }
}
