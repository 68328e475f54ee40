package dev.byoe.model.catboost;

import ai.catboost.CatBoostError;
import com.fasterxml.jackson.databind.JsonNode;
import dev.byoe.core.data.FeatureBatch;
import dev.byoe.core.data.FeatureSchema;
import dev.byoe.core.data.Objective;
import dev.byoe.core.data.Predictions;
import dev.byoe.core.data.Target;
import dev.byoe.model.member.MemberException;
import dev.byoe.model.member.MemberFormat;
import dev.byoe.model.member.MemberModel;
import dev.byoe.model.member.WalkFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A trained CatBoost model; raw outputs are turned into probabilities for classifiers. Symmetric
 * trees over numeric features are walked in Java ({@link ObliviousTrees}, checked against the
 * native model when trained); anything else, and every model saved without {@link #TREES_FILE},
 * goes through catboost-prediction's native library.
 */
public final class CatBoostModel implements MemberModel {
    public static final String MODEL_FILE = "model.cbm";

    /**
     * The trees walked in Java, written when they agreed with the native model: a server that reads
     * them never loads catboost-prediction's library nor its copy of the model (measured: 7 MB less
     * resident at idle, 16-30 MB under load, same throughput).
     */
    public static final String TREES_FILE = "trees.bin";

    /** Read back from {@code model.cbm} and {@code trees.bin}. */
    public static final MemberFormat FORMAT = new MemberFormat("catboost", CatBoostModel::load);

    /** The {@code .cbm} bytes, or null: then they are in {@link #modelFile}, or released. */
    private byte[] bytes;

    private Path modelFile;

    /** The native model, or null while (and because) {@link #trees} answer instead. */
    private ai.catboost.CatBoostModel model;

    private final ObliviousTrees trees;
    private final FeatureSchema schema;
    private final Objective objective;
    private final int width;

    /** A model for the native library only (a model with categorical features, or an old one). */
    public CatBoostModel(byte[] bytes, FeatureSchema schema, Target target) throws MemberException {
        this(bytes, null, schema, target);
    }

    /**
     * A model just trained: {@code exported} is CatBoost's JSON export of the same model (null if
     * none); its trees are walked in Java when they give the native model's answers.
     */
    public CatBoostModel(byte[] bytes, JsonNode exported, FeatureSchema schema, Target target)
            throws MemberException {
        this.bytes = bytes;
        this.schema = schema;
        this.objective = target.objective();
        this.width = target.predictionWidth();
        this.model = loadNative(bytes, width);
        ObliviousTrees walked =
                exported == null || schema.categoricalCount() > 0 || nativePredict()
                        ? null
                        : ObliviousTrees.parse(exported, schema.numericCount(), width);
        if (walked != null && agree(walked, model, schema.numericCount(), width)) {
            this.trees = walked;
            close();
        } else {
            this.trees = null;
        }
    }

    /** A saved model whose trees are walked in Java; the native model is never loaded. */
    private CatBoostModel(
            Path modelFile, ObliviousTrees trees, FeatureSchema schema, Target target) {
        this.modelFile = modelFile;
        this.trees = trees;
        this.schema = schema;
        this.objective = target.objective();
        this.width = target.predictionWidth();
    }

    /** -Dbyoe.catboost.nativePredict=true keeps every call native (the benchmark's baseline). */
    private static boolean nativePredict() {
        return Boolean.getBoolean("byoe.catboost.nativePredict");
    }

    private static ai.catboost.CatBoostModel loadNative(byte[] bytes, int width)
            throws MemberException {
        ai.catboost.CatBoostModel model;
        try {
            model = ai.catboost.CatBoostModel.loadModel(bytes);
        } catch (CatBoostError e) {
            throw loadError("cannot load CatBoost model", e);
        }
        if (model.getPredictionDimension() != width) {
            int dimension = model.getPredictionDimension();
            closeQuietly(model);
            throw new MemberException(
                    "CatBoost model predicts "
                            + dimension
                            + " values per row, the ensemble expects "
                            + width);
        }
        return model;
    }

    /**
     * Whether {@code trees} give the native model's raw values on probe rows that take every branch
     * (and miss values), to within rounding: both sum the same leaf values in double, perhaps in
     * another order.
     */
    private static boolean agree(
            ObliviousTrees trees, ai.catboost.CatBoostModel model, int features, int width) {
        int rows = 512;
        float[] x = trees.probes(rows, 17);
        double[] expected;
        try {
            expected =
                    model.predict(perRow(x, rows, features), new String[rows][0])
                            .copyRowMajorPredictions();
        } catch (CatBoostError e) {
            return false;
        }
        double[] actual = trees.predict(x, rows);
        for (int i = 0; i < rows * width; i++) {
            if (Math.abs(actual[i] - expected[i]) > 1e-9 * Math.max(1, Math.abs(expected[i]))) {
                return false;
            }
        }
        return true;
    }

    /** Whether predictions walk the trees in Java (true) or call catboost-prediction. */
    public boolean evaluatesInJava() {
        return trees != null;
    }

    /** Whether the native model is in memory. */
    public synchronized boolean nativeLoaded() {
        return model != null;
    }

    /** CatBoost's library allocates on its own; trees walked in Java hold none of it. */
    @Override
    public boolean holdsUncountedNativeMemory() {
        return nativeLoaded();
    }

    @Override
    public String type() {
        return "catboost";
    }

    @Override
    public Predictions predict(FeatureBatch batch) throws MemberException {
        int rows = batch.rows();
        double[] raw = trees != null ? trees.predict(batch.numeric(), rows) : predictNative(batch);
        double[] out = new double[rows * width];
        for (int r = 0; r < rows; r++) {
            switch (objective) {
                case REGRESSION -> out[r] = raw[r];
                case BINARY -> out[r] = 1.0 / (1.0 + Math.exp(-raw[r]));
                case MULTICLASS -> softmax(raw, r, out);
            }
        }
        return new Predictions(rows, width, out);
    }

    private double[] predictNative(FeatureBatch batch) throws MemberException {
        int rows = batch.rows();
        int nn = schema.numericCount();
        int nc = schema.categoricalCount();
        float[][] num = perRow(batch.numeric(), rows, nn);
        String[][] cat = new String[rows][nc];
        String[] allCat = batch.categorical();
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < nc; c++) {
                cat[r][c] = clean(allCat[r * nc + c]);
            }
        }
        try {
            return model.predict(num, cat).copyRowMajorPredictions();
        } catch (CatBoostError e) {
            throw new MemberException("CatBoost prediction failed: " + e.getMessage(), e);
        }
    }

    /**
     * Row-major values cut into one array per row, the shape catboost-prediction takes (its batch
     * call copies each row array through JNI).
     */
    public static float[][] perRow(float[] rowMajor, int rows, int columns) {
        float[][] out = new float[rows][];
        for (int r = 0; r < rows; r++) {
            out[r] = java.util.Arrays.copyOfRange(rowMajor, r * columns, (r + 1) * columns);
        }
        return out;
    }

    private void softmax(double[] raw, int r, double[] out) {
        int at = r * width;
        double max = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < width; c++) {
            max = Math.max(max, raw[at + c]);
        }
        double sum = 0;
        for (int c = 0; c < width; c++) {
            double e = Math.exp(raw[at + c] - max);
            out[at + c] = e;
            sum += e;
        }
        for (int c = 0; c < width; c++) {
            out[at + c] /= sum;
        }
    }

    @Override
    public synchronized void save(Path directory) throws IOException {
        byte[] cbm =
                bytes != null ? bytes : modelFile != null ? Files.readAllBytes(modelFile) : null;
        if (cbm == null) {
            throw new IOException(
                    "this CatBoost model only predicts (predictOnly): its model file was released");
        }
        Files.write(directory.resolve(MODEL_FILE), cbm);
        if (trees != null) {
            WalkFile.write(directory.resolve(TREES_FILE), trees::write);
        }
    }

    /** Trees walked in Java need neither the native model nor the bytes it was read from. */
    @Override
    public synchronized void predictOnly() {
        if (trees != null) {
            bytes = null;
            modelFile = null;
        }
    }

    @Override
    public synchronized void close() {
        if (model != null) {
            closeQuietly(model);
            model = null;
        }
    }

    private static void closeQuietly(ai.catboost.CatBoostModel model) {
        try {
            model.close();
        } catch (CatBoostError e) {
            // Nothing to recover: the native handle is gone either way.
        }
    }

    static MemberModel load(Path directory, FeatureSchema schema, Target target)
            throws MemberException {
        Path model = directory.resolve(MODEL_FILE);
        ObliviousTrees saved =
                nativePredict() || schema.categoricalCount() > 0
                        ? null
                        : WalkFile.readIfUsable(
                                directory.resolve(TREES_FILE),
                                in ->
                                        ObliviousTrees.read(
                                                in,
                                                schema.numericCount(),
                                                target.predictionWidth()));
        if (saved != null && Files.isRegularFile(model)) {
            return new CatBoostModel(model, saved, schema, target);
        }
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
