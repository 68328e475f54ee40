package dev.byoe.training.anomaly;

import dev.byoe.model.anomaly.SessionBatch;

/**
 * Sessions with their labels: 1 anomalous, 0 normal, -1 unknown. Unsupervised members train on the
 * normal and unlabelled ones; labelled sessions measure precision, recall and F1.
 */
public record LabelledSessions(SessionBatch sessions, int[] labels) {
    public LabelledSessions {
        if (labels.length != sessions.size()) {
            throw new IllegalArgumentException(
                    labels.length + " labels for " + sessions.size() + " sessions");
        }
    }

    public static LabelledSessions unlabelled(SessionBatch sessions) {
        int[] l = new int[sessions.size()];
        java.util.Arrays.fill(l, -1);
        return new LabelledSessions(sessions, l);
    }

    public int size() {
        return labels.length;
    }

    /** Sessions with this label (1 anomalous, 0 normal, -1 unknown). */
    public long count(int label) {
        long n = 0;
        for (int l : labels) {
            if (l == label) {
                n++;
            }
        }
        return n;
    }

    public boolean hasLabels() {
        for (int l : labels) {
            if (l >= 0) {
                return true;
            }
        }
        return false;
    }

    /**
     * What the sessions not known to be anomalous are, for the job's log: an unlabelled job must
     * not claim that it learned from normal sessions, since it cannot know.
     */
    public String normalKind() {
        long normal = count(0);
        long unknown = count(-1);
        if (unknown == 0) {
            return normal + " normal sessions";
        }
        String unlabelled = unknown + " unlabelled sessions (taken as normal)";
        return normal == 0 ? unlabelled : normal + " normal and " + unlabelled;
    }

    /** The sessions not known to be anomalous: what unsupervised members learn "normal" from. */
    public LabelledSessions withoutAnomalies() {
        return select(
                java.util.stream.IntStream.range(0, labels.length)
                        .filter(i -> labels[i] != 1)
                        .toArray());
    }

    public LabelledSessions select(int[] indices) {
        int[] l = new int[indices.length];
        for (int i = 0; i < indices.length; i++) {
            l[i] = labels[indices[i]];
        }
        return new LabelledSessions(sessions.select(indices), l);
    }
}
