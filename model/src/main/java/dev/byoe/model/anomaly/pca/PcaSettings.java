package dev.byoe.model.anomaly.pca;

/** How a {@link PcaDetector} is fitted; recorded in its saved file. */
public record PcaSettings(
        int maxComponents,
        double varianceFraction,
        boolean tfIdf,
        boolean zeroMean,
        double cAlpha,
        double thresholdQuantile) {}
