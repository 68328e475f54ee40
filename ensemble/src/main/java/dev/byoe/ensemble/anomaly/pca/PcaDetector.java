package dev.byoe.ensemble.anomaly.pca;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.byoe.ensemble.Json;
import dev.byoe.ensemble.anomaly.AnomalyDetector;
import dev.byoe.ensemble.anomaly.AnomalyScores;
import dev.byoe.ensemble.anomaly.SessionBatch;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import smile.feature.extraction.PCA;

/**
 * Xu et al.'s detector: a session's weighted, centred event-count vector {@code y} is split into
 * the part the top principal components explain and a residual; the squared prediction error {@code
 * SPE = |y|^2 - |P^T y|^2} is compared with the Q-statistic threshold of Jackson and Mudholkar (or
 * a quantile of the training SPE). Scoring is plain arithmetic on the saved vectors; Smile does the
 * eigen-decomposition at training time.
 */
public final class PcaDetector implements AnomalyDetector {
    static final String FILE = "pca.json";
    private static final ObjectMapper JSON = Json.MAPPER;

    private final PcaSettings settings;
    private final double[] idf;
    private final double[] mean;

    /** k rows of {@code eventCount} values: the kept principal directions. */
    private final double[][] components;

    private final double[] eigenvalues;
    private final double threshold;
    private final int trainingSessions;

    private PcaDetector(
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

    /** Fits on sessions taken as normal. */
    public static PcaDetector fit(SessionBatch normal, int eventCount, PcaSettings s) {
        int n = normal.size();
        if (n < 2) {
            throw new IllegalArgumentException("PCA needs at least 2 normal sessions, got " + n);
        }
        double[][] x = normal.counts(eventCount);
        double[] idf = new double[eventCount];
        for (int j = 0; j < eventCount; j++) {
            int df = 0;
            for (double[] row : x) {
                if (row[j] > 0) {
                    df++;
                }
            }
            // An event never seen in training weighs as if seen once, so that it stands out later.
            idf[j] = s.tfIdf() ? Math.log((double) n / Math.max(df, 1)) : 1;
        }
        double[] mean = new double[eventCount];
        for (double[] row : x) {
            for (int j = 0; j < eventCount; j++) {
                row[j] *= idf[j];
                mean[j] += row[j] / n;
            }
        }
        if (!s.zeroMean()) {
            Arrays.fill(mean, 0);
        }
        for (double[] row : x) {
            for (int j = 0; j < eventCount; j++) {
                row[j] -= mean[j];
            }
        }
        PCA pca = PCA.fit(x);
        // Eigenvalues as the variance along each direction, X'X/n as in loglizer; computed here
        // so that the Q-statistic does not depend on how Smile scales its variance() figures.
        double[] eig = new double[eventCount];
        double[][] directions = new double[eventCount][eventCount];
        for (int c = 0; c < eventCount; c++) {
            for (int j = 0; j < eventCount; j++) {
                directions[c][j] = pca.loadings().get(j, c);
            }
        }
        for (double[] row : x) {
            for (int c = 0; c < eventCount; c++) {
                double dot = 0;
                for (int j = 0; j < eventCount; j++) {
                    dot += directions[c][j] * row[j];
                }
                eig[c] += dot * dot / n;
            }
        }
        int k = components(eig, s);
        double[][] comp = Arrays.copyOf(directions, k);
        PcaDetector fitted = new PcaDetector(s, idf, mean, comp, eig, 0, n);
        double threshold;
        if (s.thresholdQuantile() > 0) {
            double[] spe = new double[n];
            for (int i = 0; i < n; i++) {
                spe[i] = fitted.spe(normal.events()[i]);
            }
            Arrays.sort(spe);
            threshold = spe[Math.min(n - 1, (int) Math.ceil(s.thresholdQuantile() * n) - 1)];
        } else {
            threshold = qStatistic(eig, k, s.cAlpha());
        }
        return new PcaDetector(s, idf, mean, comp, eig, threshold, n);
    }

    private static int components(double[] eig, PcaSettings s) {
        if (s.maxComponents() > 0) {
            return Math.min(s.maxComponents(), eig.length);
        }
        double total = Arrays.stream(eig).sum();
        double sum = 0;
        for (int k = 0; k < eig.length; k++) {
            sum += eig[k];
            if (total == 0 || sum / total >= s.varianceFraction()) {
                return k + 1;
            }
        }
        return eig.length;
    }

    /** Jackson and Mudholkar's Q-statistic threshold from the residual eigenvalues. */
    static double qStatistic(double[] eig, int k, double cAlpha) {
        double phi1 = 0, phi2 = 0, phi3 = 0;
        for (int j = k; j < eig.length; j++) {
            phi1 += eig[j];
            phi2 += eig[j] * eig[j];
            phi3 += eig[j] * eig[j] * eig[j];
        }
        if (phi1 <= 0 || phi2 <= 0) {
            return 0; // nothing left in the residual: any residual at all is anomalous
        }
        double h0 = 1 - 2 * phi1 * phi3 / (3 * phi2 * phi2);
        return phi1
                * Math.pow(
                        cAlpha * Math.sqrt(2 * phi2 * h0 * h0) / phi1
                                + 1
                                + phi2 * h0 * (h0 - 1) / (phi1 * phi1),
                        1 / h0);
    }

    double spe(int[] events) {
        int m = idf.length;
        double[] y = new double[m];
        for (int e : events) {
            y[e < m && e >= 0 ? e : 0]++;
        }
        double norm = 0;
        for (int j = 0; j < m; j++) {
            y[j] = y[j] * idf[j] - mean[j];
            norm += y[j] * y[j];
        }
        for (double[] c : components) {
            double dot = 0;
            for (int j = 0; j < m; j++) {
                dot += c[j] * y[j];
            }
            norm -= dot * dot;
        }
        return Math.max(norm, 0);
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

    static PcaDetector load(Path directory) throws IOException {
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
