package dev.byoe.training.metrics;

import dev.byoe.core.data.Objective;
import dev.byoe.core.data.Predictions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** A metric of predictions against labels (class indices for classifiers). */
public enum Metric {
    RMSE("rmse", Objective.REGRESSION, false),
    MAE("mae", Objective.REGRESSION, false),
    R2("r2", Objective.REGRESSION, true),
    AUC("auc", Objective.BINARY, true),
    LOGLOSS("logloss", Objective.BINARY, false),
    ACCURACY("accuracy", null, true),
    F1("f1", Objective.BINARY, true),
    MLOGLOSS("mlogloss", Objective.MULTICLASS, false);

    private static final double EPS = 1e-15;

    private final String id;
    private final Objective only;
    private final boolean higherIsBetter;

    Metric(String id, Objective only, boolean higherIsBetter) {
        this.id = id;
        this.only = only;
        this.higherIsBetter = higherIsBetter;
    }

    public String id() {
        return id;
    }

    public boolean higherIsBetter() {
        return higherIsBetter;
    }

    /** Metrics reported for an objective; the first is the headline one. */
    public static List<Metric> forObjective(Objective objective) {
        return switch (objective) {
            case REGRESSION -> List.of(RMSE, MAE, R2);
            case BINARY -> List.of(AUC, LOGLOSS, ACCURACY, F1);
            case MULTICLASS -> List.of(ACCURACY, MLOGLOSS);
        };
    }

    public boolean appliesTo(Objective objective) {
        if (this == ACCURACY) {
            return objective.isClassification();
        }
        return only == objective;
    }

    public double compute(Predictions p, double[] labels) {
        int n = labels.length;
        return switch (this) {
            case RMSE -> {
                double s = 0;
                for (int i = 0; i < n; i++) {
                    double d = p.get(i, 0) - labels[i];
                    s += d * d;
                }
                yield Math.sqrt(s / n);
            }
            case MAE -> {
                double s = 0;
                for (int i = 0; i < n; i++) {
                    s += Math.abs(p.get(i, 0) - labels[i]);
                }
                yield s / n;
            }
            case R2 -> {
                double mean = Arrays.stream(labels).average().orElse(0);
                double ssRes = 0;
                double ssTot = 0;
                for (int i = 0; i < n; i++) {
                    ssRes += Math.pow(labels[i] - p.get(i, 0), 2);
                    ssTot += Math.pow(labels[i] - mean, 2);
                }
                yield ssTot == 0 ? 0 : 1 - ssRes / ssTot;
            }
            case AUC -> auc(p, labels);
            case LOGLOSS -> {
                double s = 0;
                for (int i = 0; i < n; i++) {
                    double q = clip(p.get(i, 0));
                    s -= labels[i] > 0.5 ? Math.log(q) : Math.log(1 - q);
                }
                yield s / n;
            }
            case ACCURACY -> {
                int right = 0;
                for (int i = 0; i < n; i++) {
                    int predicted = p.width() == 1 ? (p.get(i, 0) >= 0.5 ? 1 : 0) : p.argmax(i);
                    if (predicted == (int) labels[i]) {
                        right++;
                    }
                }
                yield (double) right / n;
            }
            case F1 -> {
                int tp = 0;
                int fp = 0;
                int fn = 0;
                for (int i = 0; i < n; i++) {
                    boolean predicted = p.get(i, 0) >= 0.5;
                    boolean actual = labels[i] > 0.5;
                    if (predicted && actual) {
                        tp++;
                    } else if (predicted) {
                        fp++;
                    } else if (actual) {
                        fn++;
                    }
                }
                yield tp == 0 ? 0 : 2.0 * tp / (2.0 * tp + fp + fn);
            }
            case MLOGLOSS -> {
                double s = 0;
                for (int i = 0; i < n; i++) {
                    s -= Math.log(clip(p.get(i, (int) labels[i])));
                }
                yield s / n;
            }
        };
    }

    private static double clip(double q) {
        return Math.min(1 - EPS, Math.max(EPS, q));
    }

    /** Area under the ROC curve by the rank-sum formula, ties sharing their mean rank. */
    private static double auc(Predictions p, double[] labels) {
        int n = labels.length;
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Double.compare(p.get(a, 0), p.get(b, 0)));
        double rankSumPositive = 0;
        long positives = 0;
        int i = 0;
        while (i < n) {
            int j = i;
            while (j + 1 < n && p.get(order[j + 1], 0) == p.get(order[i], 0)) {
                j++;
            }
            double meanRank = (i + j) / 2.0 + 1;
            for (int k = i; k <= j; k++) {
                if (labels[order[k]] > 0.5) {
                    rankSumPositive += meanRank;
                    positives++;
                }
            }
            i = j + 1;
        }
        long negatives = n - positives;
        if (positives == 0 || negatives == 0) {
            return 0.5;
        }
        return (rankSumPositive - positives * (positives + 1) / 2.0)
                / ((double) positives * negatives);
    }

    public static List<String> ids(List<Metric> metrics) {
        List<String> ids = new ArrayList<>();
        for (Metric m : metrics) {
            ids.add(m.id);
        }
        return ids;
    }
}
