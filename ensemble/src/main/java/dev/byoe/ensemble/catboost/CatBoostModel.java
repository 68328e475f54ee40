package dev.byoe.ensemble.catboost;

import ai.catboost.CatBoostError;
import ai.catboost.CatBoostPredictions;
import dev.byoe.ensemble.data.FeatureBatch;
import dev.byoe.ensemble.data.FeatureSchema;
import dev.byoe.ensemble.data.Objective;
import dev.byoe.ensemble.data.Predictions;
import dev.byoe.ensemble.data.Target;
import dev.byoe.ensemble.member.MemberException;
import dev.byoe.ensemble.member.MemberModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A trained CatBoost model; raw outputs are turned into probabilities for classifiers. */
final class CatBoostModel implements MemberModel {
    private final byte[] bytes;
    private final ai.catboost.CatBoostModel model;
    private final FeatureSchema schema;
    private final Objective objective;
    private final int width;

    CatBoostModel(byte[] bytes, FeatureSchema schema, Target target) throws MemberException {
        this.bytes = bytes;
        this.schema = schema;
        this.objective = target.objective();
        this.width = target.predictionWidth();
        try {
            this.model = ai.catboost.CatBoostModel.loadModel(bytes);
        } catch (CatBoostError e) {
            throw CatBoostMember.loadError("cannot load CatBoost model", e);
        }
        if (model.getPredictionDimension() != width) {
            close();
            throw new MemberException(
                    "CatBoost model predicts "
                            + model.getPredictionDimension()
                            + " values per row, the ensemble expects "
                            + width);
        }
    }

    @Override
    public String type() {
        return "catboost";
    }

    @Override
    public Predictions predict(FeatureBatch batch) throws MemberException {
        int rows = batch.rows();
        int nn = schema.numericCount();
        int nc = schema.categoricalCount();
        float[][] num = new float[rows][nn];
        String[][] cat = new String[rows][nc];
        float[] allNum = batch.numeric();
        String[] allCat = batch.categorical();
        for (int r = 0; r < rows; r++) {
            System.arraycopy(allNum, r * nn, num[r], 0, nn);
            for (int c = 0; c < nc; c++) {
                cat[r][c] = CatBoostMember.clean(allCat[r * nc + c]);
            }
        }
        CatBoostPredictions raw;
        try {
            raw = model.predict(num, cat);
        } catch (CatBoostError e) {
            throw new MemberException("CatBoost prediction failed: " + e.getMessage(), e);
        }
        double[] out = new double[rows * width];
        for (int r = 0; r < rows; r++) {
            switch (objective) {
                case REGRESSION -> out[r] = raw.get(r, 0);
                case BINARY -> out[r] = 1.0 / (1.0 + Math.exp(-raw.get(r, 0)));
                case MULTICLASS -> softmax(raw, r, out);
            }
        }
        return new Predictions(rows, width, out);
    }

    private void softmax(CatBoostPredictions raw, int r, double[] out) {
        double max = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < width; c++) {
            max = Math.max(max, raw.get(r, c));
        }
        double sum = 0;
        for (int c = 0; c < width; c++) {
            double e = Math.exp(raw.get(r, c) - max);
            out[r * width + c] = e;
            sum += e;
        }
        for (int c = 0; c < width; c++) {
            out[r * width + c] /= sum;
        }
    }

    @Override
    public void save(Path directory) throws IOException {
        Files.write(directory.resolve(CatBoostMember.MODEL_FILE), bytes);
    }

    @Override
    public void close() {
        try {
            model.close();
        } catch (CatBoostError e) {
            // Nothing to recover: the native handle is gone either way.
        }
    }
}
