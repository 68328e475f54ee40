package dev.byoe.model.catboost;

import ai.catboost.CatBoostError;
import ai.catboost.CatBoostPredictions;
import dev.byoe.core.data.FeatureBatch;
import dev.byoe.core.data.FeatureSchema;
import dev.byoe.core.data.Objective;
import dev.byoe.core.data.Predictions;
import dev.byoe.core.data.Target;
import dev.byoe.model.member.MemberException;
import dev.byoe.model.member.MemberFormat;
import dev.byoe.model.member.MemberModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A trained CatBoost model; raw outputs are turned into probabilities for classifiers. */
public final class CatBoostModel implements MemberModel {
    public static final String MODEL_FILE = "model.cbm";

    /** Read back from {@code model.cbm}. */
    public static final MemberFormat FORMAT = new MemberFormat("catboost", CatBoostModel::load);

    private final byte[] bytes;
    private final ai.catboost.CatBoostModel model;
    private final FeatureSchema schema;
    private final Objective objective;
    private final int width;

    public CatBoostModel(byte[] bytes, FeatureSchema schema, Target target) throws MemberException {
        this.bytes = bytes;
        this.schema = schema;
        this.objective = target.objective();
        this.width = target.predictionWidth();
        try {
            this.model = ai.catboost.CatBoostModel.loadModel(bytes);
        } catch (CatBoostError e) {
            throw loadError("cannot load CatBoost model", e);
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
                cat[r][c] = clean(allCat[r * nc + c]);
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
        Files.write(directory.resolve(MODEL_FILE), bytes);
    }

    @Override
    public void close() {
        try {
            model.close();
        } catch (CatBoostError e) {
            // Nothing to recover: the native handle is gone either way.
        }
    }

    static MemberModel load(Path directory, FeatureSchema schema, Target target)
            throws MemberException {
        Path model = directory.resolve(MODEL_FILE);
        try {
            return new CatBoostModel(Files.readAllBytes(model), schema, target);
        } catch (IOException e) {
            throw new MemberException(
                    "cannot read CatBoost model " + model + ": " + e.getMessage(), e);
        }
    }

    /**
     * CatBoost's TSV has no quoting: tabs and line breaks inside a category become spaces, here and
     * at prediction.
     */
    public static String clean(String category) {
        if (category == null) {
            return "";
        }
        for (int i = 0; i < category.length(); i++) {
            char ch = category.charAt(i);
            if (ch == '\t' || ch == '\n' || ch == '\r') {
                return category.replace('\t', ' ').replace('\n', ' ').replace('\r', ' ');
            }
        }
        return category;
    }

    public static MemberException loadError(String what, CatBoostError e) {
        return new MemberException(what + ": " + e.getMessage(), e);
    }
}
