package dev.byoe.training.xgboost;

import static dev.byoe.training.member.HyperparameterDefinition.categorical;
import static dev.byoe.training.member.HyperparameterDefinition.continuous;
import static dev.byoe.training.member.HyperparameterDefinition.integer;

import dev.byoe.core.data.Dataset;
import dev.byoe.core.data.Objective;
import dev.byoe.core.data.Predictions;
import dev.byoe.model.member.MemberException;
import dev.byoe.model.member.MemberFormat;
import dev.byoe.model.member.MemberModel;
import dev.byoe.model.xgboost.CategoryCodes;
import dev.byoe.model.xgboost.XGBoostModel;
import dev.byoe.training.TrainingStop;
import dev.byoe.training.member.FeatureGrid;
import dev.byoe.training.member.FitRequest;
import dev.byoe.training.member.HyperparameterDefinition;
import dev.byoe.training.member.MemberFit;
import dev.byoe.training.member.MemberSettings;
import dev.byoe.training.member.MemberTrainer;
import dev.byoe.training.member.MemberType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.Communicator;
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
                integer("nthread", 0, 1024, 0L, "training threads (0 = all cores)"),
                integer(
                        EARLY_STOPPING,
                        0,
                        100_000,
                        0L,
                        "stop when the validation metric has not improved for this many rounds, and "
                                + "keep the best round (0 = off)"));
    }

    @Override
    public MemberTrainer trainer(MemberSettings settings) {
        return new Trainer(settings);
    }

    /** Trains alone or, given a tracker's worker arguments, together with the other hosts. */
    private static final class Trainer implements MemberTrainer {
        private final MemberSettings settings;

        Trainer(MemberSettings settings) {
            this.settings = settings;
        }

        @Override
        public MemberModel train(Dataset data) throws MemberException {
            return fit(data, FitRequest.ALONE).model();
        }

        @Override
        public MemberFit fit(Dataset data, FitRequest request) throws MemberException {
            return XGBoostMember.fit(settings, data, request);
        }

        @Override
        public boolean dataParallel() {
            return true;
        }

        @Override
        public int gridPoints() {
            return XGBoostMember.gridPoints(settings);
        }

        @Override
        public boolean stopsEarly() {
            return patience(settings) > 0;
        }
    }

    static final String EARLY_STOPPING = "early_stopping_rounds";

    /** The metric XGBoost evaluates each round and early stopping watches, by objective. */
    static String roundMetric(Objective objective) {
        return switch (objective) {
            case REGRESSION -> "rmse";
            case BINARY -> "logloss";
            case MULTICLASS -> "mlogloss";
        };
    }

    private static MemberFit fit(MemberSettings s, Dataset data, FitRequest request)
            throws MemberException {
        // Codes and out-of-fold encodings come from every row the host holds, so that hosts
        // holding the same rows encode them alike, whatever share each trains on.
        CategoryCodes codes = CategoryCodesFit.fit(data);
        int cols = data.schema().size();
        float[] x = CategoryCodesFit.encodeTraining(codes, data, s.seed());
        float[] y = labels(data);
        int rows = data.rows();
        if (request.grid() != null) {
            x = FeatureGrid.snap(x, rows, cols, request.grid());
        } else if (gridPoints(s) > 0) {
            x = FeatureGrid.snap(x, rows, cols, gridPoints(s));
        }
        if (request.share() != null) {
            int[] share = request.share();
            float[] sx = new float[share.length * cols];
            float[] sy = new float[share.length];
            for (int i = 0; i < share.length; i++) {
                System.arraycopy(x, share[i] * cols, sx, i * cols, cols);
                sy[i] = y[share[i]];
            }
            x = sx;
            y = sy;
            rows = share.length;
        }
        Map<String, Object> params = params(s, data);
        String metric = roundMetric(s.objective());
        params.put("eval_metric", metric);
        int rounds = request.rounds() > 0 ? request.rounds() : s.getInt("num_round");
        int patience = request.evaluation() == null ? 0 : patience(s);
        boolean together = request.dataParallel();
        DMatrix matrix = null;
        DMatrix evaluation = null;
        try {
            if (together) {
                Communicator.init(request.collective());
            }
            matrix = new DMatrix(x, rows, cols, Float.NaN);
            matrix.setLabel(y);
            Map<String, DMatrix> watches = new HashMap<>();
            if (request.evaluation() != null) {
                Dataset e = request.evaluation();
                evaluation = new DMatrix(codes.encode(e.features()), e.rows(), cols, Float.NaN);
                evaluation.setLabel(labels(e));
                watches.put("validation", evaluation);
            }
            Booster booster;
            float best = Float.POSITIVE_INFINITY;
            int bestRound = 0;
            byte[] bestModel = null;
            int round = 0;
            // Only a host training alone keeps and resumes its rounds: in XGBoost's collective
            // every host would have to stop at the same round.
            Path partial = together ? null : request.partial();
            if (partial != null && Files.isRegularFile(partial)) {
                RoundState state = RoundState.load(partial);
                booster = XGBoost.loadModel(state.booster());
                booster.setParams(params);
                round = state.round();
                best = state.best();
                bestRound = state.bestRound();
                bestModel = state.bestModel();
            } else {
                booster = XGBoost.train(matrix, params, 0, watches, null, null);
            }
            DMatrix[] evalSets = evaluation == null ? new DMatrix[0] : new DMatrix[] {evaluation};
            String[] evalNames = {"validation"};
            DMatrix scored = evaluation;
            int width = data.target().predictionWidth();
            while (round < rounds) {
                if (partial != null && TrainingStop.requested()) {
                    new RoundState(round, booster.toByteArray("ubj"), best, bestRound, bestModel)
                            .save(partial);
                    throw new TrainingStop.Stopped(
                            "stopped after XGBoost round "
                                    + round
                                    + "/"
                                    + rounds
                                    + ", which is saved: the next job goes on from there");
                }
                TrainingStop.check("stopped in XGBoost round " + (round + 1) + "/" + rounds);
                booster.update(matrix, round);
                round++;
                if (evaluation == null) {
                    continue;
                }
                float[] value = new float[1];
                booster.evalSet(evalSets, evalNames, round - 1, value);
                Booster current = booster;
                request.listener()
                        .round(
                                round,
                                Map.of(metric, (double) value[0]),
                                () -> predictions(current, scored, width));
                if (patience == 0) {
                    continue;
                }
                if (value[0] < best) {
                    // XGBoost4J cannot cut trees off a booster: keep the best one's bytes.
                    best = value[0];
                    bestRound = round;
                    bestModel = booster.toByteArray("ubj");
                } else if (round - bestRound >= patience) {
                    break;
                }
            }
            int kept = round;
            if (bestModel != null && bestRound < round) {
                booster.dispose();
                booster = XGBoost.loadModel(bestModel);
                kept = bestRound;
            }
            return new MemberFit(
                    new XGBoostModel(booster, codes, data.schema(), data.target()),
                    evaluation == null ? 0 : kept);
        } catch (XGBoostError | java.io.IOException e) {
            throw new MemberException("XGBoost training failed: " + e.getMessage(), e);
        } finally {
            if (matrix != null) {
                matrix.dispose();
            }
            if (evaluation != null) {
                evaluation.dispose();
            }
            if (together) {
                try {
                    Communicator.shutdown();
                } catch (XGBoostError e) {
                    // The training outcome (or its error) is what the caller needs; a failed
                    // goodbye to the other hosts adds nothing.
                }
            }
        }
    }

    /** Rounds without improvement before training stops; 0 when it never stops early. */
    private static int patience(MemberSettings s) {
        return s.has(EARLY_STOPPING) ? s.getInt(EARLY_STOPPING) : 0;
    }

    private static float[] labels(Dataset data) {
        float[] y = new float[data.rows()];
        for (int i = 0; i < y.length; i++) {
            y[i] = (float) data.labels()[i];
        }
        return y;
    }

    /**
     * The booster's predictions of rows it evaluates each round: XGBoost keeps them cached, so
     * asking every round costs one round's trees.
     */
    private static Predictions predictions(Booster booster, DMatrix rows, int width) {
        try {
            float[][] p = booster.predict(rows);
            double[] values = new double[p.length * width];
            for (int r = 0; r < p.length; r++) {
                for (int c = 0; c < width; c++) {
                    values[r * width + c] = p[r][c];
                }
            }
            return new Predictions(p.length, width, values);
        } catch (XGBoostError e) {
            throw new IllegalStateException("XGBoost could not predict its evaluation rows", e);
        }
    }

    /** XGBoost's default {@code max_bin}. */
    static final int DEFAULT_BINS = 256;

    /**
     * Grid points per feature with the histogram method: one fewer than XGBoost's bins, so that
     * XGBoost cuts at every one of them rather than sketching; 0 with the other tree methods.
     */
    static int gridPoints(MemberSettings s) {
        boolean hist = !s.has("tree_method") || "hist".equals(s.getString("tree_method"));
        return hist ? (s.has("max_bin") ? s.getInt("max_bin") : DEFAULT_BINS) - 1 : 0;
    }

    private static Map<String, Object> params(MemberSettings s, Dataset data) {
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
        return params;
    }

    @Override
    public MemberFormat format() {
        return XGBoostModel.FORMAT;
    }
}
