package dev.byoe.training.anomaly;

import dev.byoe.training.anomaly.deeplog.DeepLogMember;
import dev.byoe.training.anomaly.pca.PcaMember;
import dev.byoe.training.anomaly.supervised.CountVectorClassifier;
import dev.byoe.training.catboost.CatBoostMember;
import dev.byoe.training.member.InvalidHyperparameterException;
import dev.byoe.training.xgboost.XGBoostMember;
import java.util.List;
import java.util.Optional;

/** Every log-anomaly member byoe knows, by name. Register a new one with one line here. */
public final class AnomalyRegistry {
    private static final List<AnomalyMemberType> TYPES =
            List.of(
                    new PcaMember(),
                    new DeepLogMember(),
                    new CountVectorClassifier(new XGBoostMember()),
                    new CountVectorClassifier(new CatBoostMember()));

    private AnomalyRegistry() {}

    public static List<AnomalyMemberType> all() {
        return TYPES;
    }

    public static Optional<AnomalyMemberType> find(String name) {
        return TYPES.stream().filter(t -> t.name().equals(name)).findFirst();
    }

    public static AnomalyMemberType require(String name) {
        return find(name)
                .orElseThrow(
                        () ->
                                new InvalidHyperparameterException(
                                        "unknown log member '"
                                                + name
                                                + "'; known: "
                                                + TYPES.stream()
                                                        .map(AnomalyMemberType::name)
                                                        .toList()));
    }
}
