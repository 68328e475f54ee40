package dev.byoe.core.data;

/** Features with their labels: a regression target value, or a class index for classifiers. */
public record Dataset(FeatureBatch features, double[] labels, Target target) {
    public Dataset {
        if (labels.length != features.rows()) {
            throw new IllegalArgumentException(
                    labels.length + " labels for " + features.rows() + " rows");
        }
    }

    public int rows() {
        return labels.length;
    }

    public FeatureSchema schema() {
        return features.schema();
    }

    public Dataset select(int[] indices) {
        double[] l = new double[indices.length];
        for (int i = 0; i < indices.length; i++) {
            l[i] = labels[indices[i]];
        }
        return new Dataset(features.select(indices), l, target);
    }
}
