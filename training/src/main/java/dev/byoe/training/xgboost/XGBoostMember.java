package dev.byoe.training.xgboost;

import static dev.byoe.training.member.HyperparameterDefinition.categorical;
import static dev.byoe.training.member.HyperparameterDefinition.continuous;
import static dev.byoe.training.member.HyperparameterDefinition.integer;

import dev.byoe.core.data.Dataset;
import dev.byoe.core.data.Objective;
import dev.byoe.model.member.MemberException;
import dev.byoe.model.member.MemberFormat;
import dev.byoe.model.member.MemberModel;
import dev.byoe.model.xgboost.CategoryCodes;
import dev.byoe.model.xgboost.XGBoostModel;
import dev.byoe.training.member.HyperparameterDefinition;
import dev.byoe.training.member.MemberSettings;
import dev.byoe.training.member.MemberTrainer;
import dev.byoe.training.member.MemberType;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;
import ml.dmlc.xgboost4j.java.XGBoostError;

/** Gradient-boosted trees from XGBoost4J (histogram method by default). */
public final class XGBoostMember implements MemberType {
    static {
        dev.byoe.model.NativeLibraries.preloadXGBoost();
    }

    /** Hyperparameters passed to XGBoost under the same name when set. */
    private static final List<String> NATIVE =
            List.of(
                    "subsample",
                    "colsample_bytree",
                    "colsample_bylevel",
                    "colsample_bynode",
                    "min_child_weight",
                    "lambda",
                    "alpha",
                    "gamma",
                    "max_bin",
                    "tree_method",
                    "scale_pos_weight",
                    "max_delta_step",
                    "grow_policy",
                    "max_leaves");

    private static final double INF = Double.MAX_VALUE;

    @Override
    public List<HyperparameterDefinition> hyperparameters() {
        return List.of(
                integer("num_round", 1, 100_000, 100L, "boosting rounds"),
                integer("max_depth", 1, 32, 6L, "maximum tree depth"),
                continuous("eta", 0, true, 1, 0.1, "learning rate"),
                continuous("subsample", 0, true, 1, null, "row sampling ratio per tree"),
                continuous("colsample_bytree", 0, true, 1, null, "column sampling ratio per tree"),
                continuous(
                        "colsample_bylevel", 0, true, 1, null, "column sampling ratio per level"),
                continuous("colsample_bynode", 0, true, 1, null, "column sampling ratio per split"),
                continuous(
                        "min_child_weight", 0, false, INF, null, "minimum hessian sum in a leaf"),
                continuous("lambda", 0, false, INF, null, "L2 regularisation"),
                continuous("alpha", 0, false, INF, null, "L1 regularisation"),
                continuous("gamma", 0, false, INF, null, "minimum loss reduction to split"),
                integer("max_bin", 2, 65_535, null, "histogram bins"),
                categorical(
                        "tree_method",
                        List.of("hist", "approx", "exact"),
                        "hist",
                        "tree construction algorithm"),
                continuous(
                        "scale_pos_weight",
                        0,
                        true,
                        INF,
                        null,
                        "weight of positive examples (binary)"),
                continuous("max_delta_step", 0, false, INF, null, "maximum leaf output step"),
                categorical(
                        "grow_policy",
                        List.of("depthwise", "lossguide"),
                        null,
                        "tree growing policy"),
                integer("max_leaves", 0, Integer.MAX_VALUE, null, "maximum leaves (lossguide)"),
                integer("nthread", 0, 1024, 0L, "training threads (0 = all cores)"));
    }

    @Override
    public MemberTrainer trainer(MemberSettings settings) {
        return data -> train(settings, data);
    }

    private MemberModel train(MemberSettings s, Dataset data) throws MemberException {
        CategoryCodes codes = CategoryCodesFit.fit(data);
        int cols = data.schema().size();
        float[] x = CategoryCodesFit.encodeTraining(codes, data, s.seed());
        float[] y = new float[data.rows()];
        for (int i = 0; i < y.length; i++) {
            y[i] = (float) data.labels()[i];
        }
        Map<String, Object> params = new HashMap<>();
        params.put(
                "objective",
                switch (s.objective()) {
                    case REGRESSION -> "reg:squarederror";
                    case BINARY -> "binary:logistic";
                    case MULTICLASS -> "multi:softprob";
                });
        if (s.objective() == Objective.MULTICLASS) {
            params.put("num_class", data.target().classes().size());
        }
        params.put("eta", s.getDouble("eta"));
        params.put("max_depth", s.getInt("max_depth"));
        params.put("seed", s.seed());
        params.put("verbosity", 0);
        int threads = s.getInt("nthread");
        params.put("nthread", threads == 0 ? s.threads() : threads);
        for (String name : NATIVE) {
            if (s.has(name)) {
                params.put(name, s.hyperparameters().get(name));
            }
        }
        DMatrix matrix = null;
        try {
            matrix = new DMatrix(x, data.rows(), cols, Float.NaN);
            matrix.setLabel(y);
            Booster booster =
                    XGBoost.train(matrix, params, s.getInt("num_round"), Map.of(), null, null);
            return new XGBoostModel(booster, codes, data.schema(), data.target());
        } catch (XGBoostError e) {
            throw new MemberException("XGBoost training failed: " + e.getMessage(), e);
        } finally {
            if (matrix != null) {
                matrix.dispose();
            }
        }
    }

    @Override
    public MemberFormat format() {
        return XGBoostModel.FORMAT;
    }
}
