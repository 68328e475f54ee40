package dev.byoe.training.anomaly.pca;

import dev.byoe.model.anomaly.SessionBatch;
import dev.byoe.model.anomaly.pca.PcaDetector;
import dev.byoe.model.anomaly.pca.PcaSettings;
import java.util.Arrays;
import smile.feature.extraction.PCA;

/**
 * Fits Xu et al.'s PCA detector: tf-idf weighting and centring of the event counts, Smile's
 * eigen-decomposition, the kept components and the Q-statistic (or quantile) threshold.
 */
public final class PcaFit {
    private PcaFit() {}

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

    /** Residual below this share of the training variance is rounding, not signal. */
    static final double NOISE = 1e-9;

    /** Jackson and Mudholkar's Q-statistic threshold from the residual eigenvalues. */
    static double qStatistic(double[] eig, int k, double cAlpha) {
        double phi1 = 0, phi2 = 0, phi3 = 0;
        for (int j = k; j < eig.length; j++) {
            phi1 += eig[j];
            phi2 += eig[j] * eig[j];
            phi3 += eig[j] * eig[j] * eig[j];
        }
        if (phi1 <= 0 || phi2 <= 0) {
            // Nothing left in the residual (every component kept, or data of lower rank): a
            // residual beyond rounding is anomalous. The floor keeps rounding (1e-15 of the
            // variance) from flagging every session, as keeping every component otherwise would.
            double total = Arrays.stream(eig).sum();
            return NOISE * Math.max(total, Double.MIN_NORMAL);
        }
        double h0 = 1 - 2 * phi1 * phi3 / (3 * phi2 * phi2);
        return phi1
                * Math.pow(
                        cAlpha * Math.sqrt(2 * phi2 * h0 * h0) / phi1
                                + 1
                                + phi2 * h0 * (h0 - 1) / (phi1 * phi1),
                        1 / h0);
    }
}
