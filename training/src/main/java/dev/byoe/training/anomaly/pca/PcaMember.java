package dev.byoe.training.anomaly.pca;

import static dev.byoe.training.member.HyperparameterDefinition.categorical;
import static dev.byoe.training.member.HyperparameterDefinition.continuous;
import static dev.byoe.training.member.HyperparameterDefinition.integer;

import dev.byoe.model.anomaly.DetectorFormat;
import dev.byoe.model.anomaly.pca.PcaDetector;
import dev.byoe.model.anomaly.pca.PcaSettings;
import dev.byoe.training.anomaly.AnomalyMemberType;
import dev.byoe.training.anomaly.AnomalyTrainer;
import dev.byoe.training.member.HyperparameterDefinition;
import dev.byoe.training.member.MemberSettings;
import java.util.List;

/** The PCA member: hyperparameters as in loglizer's HDFS benchmark by default. */
public final class PcaMember implements AnomalyMemberType {
    @Override
    public List<HyperparameterDefinition> hyperparameters() {
        return List.of(
                integer(
                        "max_components",
                        0,
                        1000,
                        0L,
                        "principal components kept (0: as many as explain variance_fraction)"),
                continuous(
                        "variance_fraction",
                        0,
                        true,
                        1,
                        0.95,
                        "explained variance the kept components must reach when max_components is 0"),
                categorical(
                        "term_weighting",
                        List.of("tf-idf", "none"),
                        "tf-idf",
                        "weighting of event counts"),
                categorical(
                        "normalization",
                        List.of("zero-mean", "none"),
                        "zero-mean",
                        "column centring"),
                continuous(
                        "c_alpha",
                        0,
                        true,
                        10,
                        3.2905,
                        "normal deviate of the Q-statistic threshold (3.2905 = 1 - 0.001 confidence)"),
                continuous(
                        "threshold_quantile",
                        0,
                        false,
                        1,
                        0.0,
                        "if above 0, the threshold is this quantile of training SPE instead of the Q-statistic"));
    }

    @Override
    public AnomalyTrainer trainer(MemberSettings settings) {
        PcaSettings s =
                new PcaSettings(
                        settings.getInt("max_components"),
                        settings.getDouble("variance_fraction"),
                        settings.getString("term_weighting").equals("tf-idf"),
                        settings.getString("normalization").equals("zero-mean"),
                        settings.getDouble("c_alpha"),
                        settings.getDouble("threshold_quantile"));
        return (train, context) ->
                PcaFit.fit(train.withoutAnomalies().sessions(), context.eventCount(), s);
    }

    @Override
    public DetectorFormat format() {
        return PcaDetector.FORMAT;
    }
}
