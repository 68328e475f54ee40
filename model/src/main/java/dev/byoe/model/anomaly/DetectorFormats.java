package dev.byoe.model.anomaly;

import dev.byoe.model.anomaly.deeplog.DeepLogDetector;
import dev.byoe.model.anomaly.pca.PcaDetector;
import dev.byoe.model.anomaly.supervised.CountVectorDetector;
import dev.byoe.model.catboost.CatBoostModel;
import dev.byoe.model.xgboost.XGBoostModel;
import java.util.List;
import java.util.Optional;

/**
 * Every log member format this build can serve, the one place that turns a type name stored in a
 * manifest into a loader. Register a new log member's format with one line here (its trainer
 * registers in the training module's {@code AnomalyRegistry}).
 */
public final class DetectorFormats {
    private static final List<DetectorFormat> FORMATS =
            List.of(
                    PcaDetector.FORMAT,
                    DeepLogDetector.FORMAT,
                    CountVectorDetector.format(XGBoostModel.FORMAT),
                    CountVectorDetector.format(CatBoostModel.FORMAT));

    private DetectorFormats() {}

    public static List<DetectorFormat> all() {
        return FORMATS;
    }

    public static Optional<DetectorFormat> find(String name) {
        return FORMATS.stream().filter(f -> f.name().equals(name)).findFirst();
    }
}
