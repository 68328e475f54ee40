package dev.byoe.model.xgboost;

import dev.byoe.core.data.FeatureBatch;
import dev.byoe.core.data.FeatureSchema;
import dev.byoe.core.data.Predictions;
import dev.byoe.core.data.Target;
import dev.byoe.model.NativeLibraries;
import dev.byoe.model.member.MemberException;
import dev.byoe.model.member.MemberFormat;
import dev.byoe.model.member.MemberModel;
import dev.byoe.model.member.WalkFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.XGBoost;
import ml.dmlc.xgboost4j.java.XGBoostError;

/** A trained XGBoost booster with the category codes it was trained with. */
public final class XGBoostModel implements MemberModel {
    public static final String MODEL_FILE = "model.ubj";
    public static final String CATEGORIES_FILE = "categories.json";

    /**
     * The trees walked in Java, written when they agreed with the booster: a server reads them
     * instead of building them again from the booster's JSON dump (about 80 ms of a cold start).
     */
    public static final String TREES_FILE = "trees.bin";

    /** Read back from {@code model.ubj}, {@code categories.json} and {@code trees.bin}. */
    public static final MemberFormat FORMAT = new MemberFormat("xgboost", XGBoostModel::load);

    /**
     * Null until needed when the model was loaded with its saved trees (serving walks those and
     * never needs XGBoost's library: ~20 ms of a cold start), and once released.
     */
    private Booster booster;

    /** Where {@link #booster} loads from when first needed; null once released or if given. */
    private Path boosterFile;

    private final CategoryCodes codes;
    private final FeatureSchema schema;
    private final int width;

    /**
     * The trees walked in Java (checked against the booster), or null: then every call goes native.
     */
    private final TreeEvaluator trees;

    /** A booster in memory (just trained, or a model saved without its trees); trees from it. */
    public XGBoostModel(Booster booster, CategoryCodes codes, FeatureSchema schema, Target target) {
        this.booster = booster;
        this.codes = codes;
        this.schema = schema;
        this.width = target.predictionWidth();
        singleThreaded(booster);
        this.trees = nativePredict() ? null : TreeEvaluator.of(booster, schema.size());
    }

    /** A loaded model that walks its saved trees; the booster stays on disk until needed. */
    private XGBoostModel(
            Path boosterFile,
            CategoryCodes codes,
            FeatureSchema schema,
            Target target,
            TreeEvaluator saved) {
        this.boosterFile = boosterFile;
        this.codes = codes;
        this.schema = schema;
        this.width = target.predictionWidth();
        this.trees = saved;
    }

    /** -Dbyoe.xgboost.nativePredict=true keeps every call native (the benchmark's baseline). */
    private static boolean nativePredict() {
        return Boolean.getBoolean("byoe.xgboost.nativePredict");
    }

    private static void singleThreaded(Booster booster) {
        try {
            // One thread per call: concurrent requests already use every core.
            booster.setParam("nthread", 1);
        } catch (XGBoostError e) {
            throw new IllegalStateException(e);
        }
    }

    private static Booster read(Path file) throws XGBoostError {
        // Before XGBoost4J's own loader, which would unpack its library into the temp folder on
        // every start (the image holds it unpacked).
        NativeLibraries.preloadXGBoost();
        return XGBoost.loadModel(file.toString());
    }

    /** The booster, read from its file the first time it is needed; null once released. */
    private synchronized Booster booster() throws XGBoostError {
        if (booster == null && boosterFile != null) {
            Booster read = read(boosterFile);
            singleThreaded(read);
            booster = read;
        }
        return booster;
    }

    /** Whether XGBoost's own copy of the model is in memory (false while only the trees are). */
    public synchronized boolean boosterLoaded() {
        return booster != null;
    }

    /** Whether predictions walk the trees in Java (true) or call XGBoost's native predictor. */
    public boolean evaluatesInJava() {
        return trees != null;
    }

    @Override
    public String type() {
        return "xgboost";
    }

    @Override
    public Predictions predict(FeatureBatch batch) throws MemberException {
        int rows = batch.rows();
        float[] x = codes.encode(batch);
        if (trees != null) {
            return new Predictions(rows, width, trees.predict(x, rows));
        }
        float[][] out;
        try {
            // inplace_predict reads the dense matrix directly and is thread-safe in XGBoost's core.
            out = booster.inplace_predict(x, rows, schema.size(), Float.NaN);
        } catch (XGBoostError e) {
            throw new MemberException("XGBoost prediction failed: " + e.getMessage(), e);
        }
        double[] values = new double[rows * width];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < width; c++) {
                values[r * width + c] = out[r][c];
            }
        }
        return new Predictions(rows, width, values);
    }

    @Override
    public void save(Path directory) throws IOException {
        try {
            Booster b = booster();
            if (b == null) {
                throw new IOException(
                        "this XGBoost model only predicts (predictOnly): its booster was released");
            }
            b.saveModel(directory.resolve(MODEL_FILE).toString());
        } catch (XGBoostError e) {
            throw new IOException("cannot save XGBoost model: " + e.getMessage(), e);
        }
        codes.save(directory.resolve(CATEGORIES_FILE));
        if (trees != null) {
            WalkFile.write(directory.resolve(TREES_FILE), trees::write);
        }
    }

    /**
     * Trees walked in Java need no booster: its native copy of them is memory a multi-model
     * endpoint can give another model.
     */
    @Override
    public synchronized void predictOnly() {
        if (trees != null) {
            if (booster != null) {
                booster.dispose();
                booster = null;
            }
            boosterFile = null;
        }
    }

    @Override
    public synchronized void close() {
        if (booster != null) {
            booster.dispose();
            booster = null;
        }
        boosterFile = null;
    }

    static MemberModel load(Path directory, FeatureSchema schema, Target target)
            throws MemberException {
        Path model = directory.resolve(MODEL_FILE);
        Path categories = directory.resolve(CATEGORIES_FILE);
        try {
            if (!Files.isRegularFile(model)) {
                throw new MemberException("XGBoost model file is missing: " + model);
            }
            CategoryCodes codes =
                    Files.exists(categories)
                            ? CategoryCodes.load(categories)
                            : CategoryCodes.none();
            if (codes.slots() != schema.categoricalCount()) {
                throw new MemberException(
                        "XGBoost category codes cover "
                                + codes.slots()
                                + " columns but the schema has "
                                + schema.categoricalCount()
                                + " categorical features");
            }
            TreeEvaluator saved = nativePredict() ? null : savedTrees(directory, schema.size());
            return saved != null
                    ? new XGBoostModel(model, codes, schema, target, saved)
                    : new XGBoostModel(read(model), codes, schema, target);
        } catch (XGBoostError | IOException e) {
            throw new MemberException(
                    "cannot load XGBoost model " + model + ": " + e.getMessage(), e);
        }
    }

    /** The trees {@link #save} wrote, or null (a model saved before they were, or damaged). */
    private static TreeEvaluator savedTrees(Path directory, int features) {
        // A refused file leaves the booster to build the trees, as for an older model.
        return WalkFile.readIfUsable(
                directory.resolve(TREES_FILE), in -> TreeEvaluator.read(in, features));
    }
}
