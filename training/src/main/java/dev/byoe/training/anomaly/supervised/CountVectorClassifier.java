package dev.byoe.training.anomaly.supervised;

import dev.byoe.core.data.Dataset;
import dev.byoe.core.data.FeatureSchema;
import dev.byoe.core.data.Objective;
import dev.byoe.model.anomaly.DetectorFormat;
import dev.byoe.model.anomaly.supervised.CountVectorDetector;
import dev.byoe.model.member.MemberException;
import dev.byoe.model.member.MemberModel;
import dev.byoe.training.anomaly.AnomalyMemberType;
import dev.byoe.training.anomaly.AnomalyTrainer;
import dev.byoe.training.anomaly.LabelledSessions;
import dev.byoe.training.member.HyperparameterDefinition;
import dev.byoe.training.member.MemberSettings;
import dev.byoe.training.member.MemberType;
import java.util.ArrayList;
import java.util.List;

/**
 * A tabular member as a log member: features are the session's event counts {@code E0..En}, the
 * label is anomalous or not, the score is P(anomaly) and the threshold 0.5. Needs labelled sessions
 * of both kinds in the training data.
 */
public final class CountVectorClassifier implements AnomalyMemberType {
    private final MemberType tabular;
    private final DetectorFormat format;

    public CountVectorClassifier(MemberType tabular) {
        this.tabular = tabular;
        this.format = CountVectorDetector.format(tabular.format());
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
            FeatureSchema schema = CountVectorDetector.schema(ctx.eventCount());
            double[] y = new double[labelled.size()];
            for (int i = 0; i < y.length; i++) {
                y[i] = labelled.labels()[i];
            }
            Dataset data =
                    new Dataset(
                            CountVectorDetector.batch(schema, labelled.sessions()),
                            y,
                            CountVectorDetector.TARGET);
            MemberModel model = tabular.trainer(binary).train(data);
            return new CountVectorDetector(name(), schema, model);
        };
    }

    @Override
    public DetectorFormat format() {
        return format;
    }
}
