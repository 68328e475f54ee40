package dev.byoe.model.anomaly.pca;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.byoe.core.Json;
import dev.byoe.model.anomaly.AnomalyDetector;
import dev.byoe.model.anomaly.AnomalyScores;
import dev.byoe.model.anomaly.DetectorFormat;
import dev.byoe.model.anomaly.SessionBatch;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Xu et al.'s detector: a session's weighted, centred event-count vector {@code y} is split into
 * the part the top principal components explain and a residual; the squared prediction error {@code
 * SPE = |y|^2 - |P^T y|^2} is compared with the Q-statistic threshold of Jackson and Mudholkar (or
 * a quantile of the training SPE). Scoring is plain arithmetic on the saved vectors; the training
 * module's {@code PcaFit} computes them.
 */
public final class PcaDetector implements AnomalyDetector {
    public static final String FILE = "pca.json";

    /** Read back from {@code pca.json}. */
    public static final DetectorFormat FORMAT =
            DetectorFormat.ofFiles("pca", "PCA", PcaDetector::load);

    private static final ObjectMapper JSON = Json.MAPPER;

    private final PcaSettings settings;
    private final double[] idf;
    private final double[] mean;

    /** k rows of {@code eventCount} values: the kept principal directions. */
    private final double[][] components;

    private final double[] eigenvalues;
    private final double threshold;
    private final int trainingSessions;

    public PcaDetector(
            PcaSettings settings,
            double[] idf,
            double[] mean,
            double[][] components,
            double[] eigenvalues,
            double threshold,
            int trainingSessions) {
        this.settings = settings;
        this.idf = idf;
        this.mean = mean;
        this.components = components;
        this.eigenvalues = eigenvalues;
        this.threshold = threshold;
        this.trainingSessions = trainingSessions;
    }

    /** A residual below this share of a session's squared length is rounding. */
    private static final double ROUNDING = 1e-12;

    /** The squared prediction error of one session: its distance from the principal subspace. */
    public double spe(int[] events) {
        int m = idf.length;
        double[] y = new double[m];
        for (int e : events) {
            y[e < m && e >= 0 ? e : 0]++;
        }
        double length = 0;
        for (int j = 0; j < m; j++) {
            y[j] = y[j] * idf[j] - mean[j];
            length += y[j] * y[j];
        }
        double residual = length;
        for (double[] c : components) {
            double dot = 0;
            for (int j = 0; j < m; j++) {
                dot += c[j] * y[j];
            }
            residual -= dot * dot;
        }
        // Subtracting the projection leaves rounding (about 1e-16 of the length) where the session
        // lies in the kept subspace; that is no residual.
        return residual > ROUNDING * length ? residual : 0;
    }

    @Override
    public String type() {
        return "pca";
    }

    @Override
    public AnomalyScores score(SessionBatch sessions) {
        double[] out = new double[sessions.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = spe(sessions.events()[i]);
        }
        return new AnomalyScores(out, threshold);
    }

    public int componentCount() {
        return components.length;
    }

    public double threshold() {
        return threshold;
    }

    @Override
    public void save(Path directory) throws IOException {
        ObjectNode root = JSON.createObjectNode();
        root.put("format", "byoe-pca/1");
        root.set("settings", JSON.valueToTree(settings));
        root.put("training_sessions", trainingSessions);
        root.put("threshold", threshold);
        root.set("idf", JSON.valueToTree(idf));
        root.set("mean", JSON.valueToTree(mean));
        root.set("eigenvalues", JSON.valueToTree(eigenvalues));
        root.set("components", JSON.valueToTree(components));
        JSON.writerWithDefaultPrettyPrinter().writeValue(directory.resolve(FILE).toFile(), root);
    }

    /** Reads a detector that {@link #save} wrote. */
    public static PcaDetector load(Path directory) throws IOException {
        JsonNode root = JSON.readTree(directory.resolve(FILE).toFile());
        if (root == null || !"byoe-pca/1".equals(root.path("format").asText())) {
            throw new IOException(FILE + " is not a byoe-pca/1 file");
        }
        PcaSettings s = JSON.treeToValue(root.get("settings"), PcaSettings.class);
        double[] idf = JSON.treeToValue(root.get("idf"), double[].class);
        double[] mean = JSON.treeToValue(root.get("mean"), double[].class);
        double[][] comp = JSON.treeToValue(root.get("components"), double[][].class);
        double[] eig = JSON.treeToValue(root.get("eigenvalues"), double[].class);
        if (mean.length != idf.length
                || Arrays.stream(comp).anyMatch(c -> c.length != idf.length)) {
            throw new IOException(FILE + ": vectors of different lengths");
        }
        return new PcaDetector(
                s,
                idf,
                mean,
                comp,
                eig,
                root.get("threshold").asDouble(),
                root.path("training_sessions").asInt());
    }
}
