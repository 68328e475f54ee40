package dev.byoe.training.anomaly.deeplog;

import static dev.byoe.training.member.HyperparameterDefinition.categorical;
import static dev.byoe.training.member.HyperparameterDefinition.continuous;
import static dev.byoe.training.member.HyperparameterDefinition.integer;

import dev.byoe.model.anomaly.DetectorFormat;
import dev.byoe.model.anomaly.deeplog.DeepLogDetector;
import dev.byoe.model.anomaly.deeplog.DeepLogSettings;
import dev.byoe.training.anomaly.AnomalyMemberType;
import dev.byoe.training.anomaly.AnomalyTrainer;
import dev.byoe.training.member.HyperparameterDefinition;
import dev.byoe.training.member.MemberSettings;
import java.util.List;

/** The DeepLog member: paper defaults for the network, a training loop sized for one CPU job. */
public final class DeepLogMember implements AnomalyMemberType {
    @Override
    public boolean printsEpochLoss() {
        return true;
    }

    @Override
    public List<HyperparameterDefinition> hyperparameters() {
        return List.of(
                integer(
                        "window",
                        1,
                        100,
                        10L,
                        "history window h: events the next one is predicted from"),
                integer("layers", 1, 8, 2L, "stacked LSTM layers L"),
                integer("hidden", 1, 1024, 64L, "LSTM units per layer (alpha)"),
                integer(
                        "top_g",
                        0,
                        1000,
                        0L,
                        "an event is normal when among the g most likely next events; 0: the g with the best F1 on held-out labelled sessions, or the paper's 9 without labels"),
                integer("epochs", 1, 10_000, 50L, "passes over the training windows"),
                integer(
                        "batch_size",
                        1,
                        65_536,
                        256L,
                        "rows of distinct windows per gradient step"),
                continuous(
                        "learning_rate",
                        0,
                        true,
                        1,
                        0.003,
                        "Adam learning rate; a tenth of it after 80% of the steps, a hundredth after 95%"),
                integer(
                        "min_misses",
                        1,
                        1000,
                        1L,
                        "events outside the top-g that make a session anomalous"),
                categorical(
                        "end_of_session",
                        List.of("true", "false"),
                        "true",
                        "also predict where a session ends, so that sessions cut short are caught"),
                continuous(
                        "end_min_share",
                        0,
                        false,
                        1,
                        0.001,
                        "a session may end only after an event that ended at least this share of the normal training sessions; 0: top-g alone judges the end"),
                categorical(
                        "known_transitions",
                        List.of("true", "false"),
                        "true",
                        "a next event (or end) that followed the same window in a normal training session is never a miss, however rarely training showed it"));
    }

    @Override
    public AnomalyTrainer trainer(MemberSettings m) {
        DeepLogSettings s =
                new DeepLogSettings(
                        m.getInt("window"),
                        m.getInt("layers"),
                        m.getInt("hidden"),
                        m.getInt("top_g"),
                        m.getInt("epochs"),
                        m.getInt("batch_size"),
                        m.getDouble("learning_rate"),
                        m.getInt("min_misses"),
                        m.getString("end_of_session").equals("true"),
                        m.seed(),
                        m.getDouble("end_min_share"),
                        m.getString("known_transitions").equals("true"));
        return new DeepLogTrainer(s, m.threads());
    }

    @Override
    public DetectorFormat format() {
        return DeepLogDetector.FORMAT;
    }
}
