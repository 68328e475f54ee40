package dev.byoe.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.byoe.core.data.Dataset;
import dev.byoe.core.data.Objective;
import dev.byoe.model.member.MemberModel;
import dev.byoe.training.EnsembleTrainer.FoldOutcome;
import dev.byoe.training.EnsembleTrainer.Unit;
import dev.byoe.training.member.FitRequest;
import dev.byoe.training.member.MemberSettings;
import dev.byoe.training.xgboost.XGBoostMember;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The units a job may run anywhere and in any order assemble into the same ensemble. */
class EnsembleTrainerTest {
    private static EnsembleTrainer trainer(Map<String, Object> extra) {
        Map<String, Object> hp =
                new HashMap<>(
                        Map.of(
                                "num_round",
                                40L,
                                "max_depth",
                                4L,
                                "eta",
                                0.3,
                                "nthread",
                                1L,
                                "tree_method",
                                "hist"));
        hp.putAll(extra);
        MemberSettings s = new MemberSettings(Objective.REGRESSION, 7, 1, hp);
        MemberSettings deeper =
                new MemberSettings(
                        Objective.REGRESSION,
                        7,
                        1,
                        Map.of("num_round", 20L, "max_depth", 6L, "eta", 0.3, "nthread", 1L));
        return new EnsembleTrainer(
                List.of(
                        new EnsembleTrainer.Entry("a", new XGBoostMember().trainer(s), 1),
                        new EnsembleTrainer.Entry("b", new XGBoostMember().trainer(deeper), 2)),
                3,
                11,
                m -> {});
    }

    @Test
    void unitsInAnyOrderAssembleIntoWhatFitGives() throws Exception {
        Dataset data = SyntheticData.make(Objective.REGRESSION, 600, 5);
        EnsembleTrainer t = trainer(Map.of());
        EnsembleTrainer.Result whole = t.fit(data, null);

        List<Unit> folds = new ArrayList<>(t.foldUnits(false));
        Collections.reverse(folds);
        int[][] heldOut = t.heldOut(data);
        Map<Unit, FoldOutcome> outcomes = new LinkedHashMap<>();
        for (Unit u : folds) {
            outcomes.put(u, t.trainFold(u, data, heldOut));
        }
        List<MemberModel> finals = new ArrayList<>();
        for (Unit u : t.finalUnits()) {
            finals.add(t.trainFinal(u, data, FitRequest.ALONE).model());
        }
        EnsembleTrainer.Result pieces = t.assemble(outcomes, finals, data, null);
        assertEquals(6, folds.size());
        assertEquals(whole.evaluation(), pieces.evaluation());
        whole.models().forEach(MemberModel::close);
        pieces.models().forEach(MemberModel::close);
    }

    @Test
    void aMemberThatStopsEarlyInTheFoldsTrainsTheirMeanRoundsOnAllRows() throws Exception {
        Dataset data = SyntheticData.make(Objective.REGRESSION, 600, 6);
        EnsembleTrainer t =
                trainer(Map.of("num_round", 2000L, "eta", 0.5, "early_stopping_rounds", 5L));
        int[][] heldOut = t.heldOut(data);
        Map<Unit, FoldOutcome> outcomes = new LinkedHashMap<>();
        int sum = 0;
        for (Unit u : t.foldUnits(false)) {
            FoldOutcome o = t.trainFold(u, data, heldOut);
            outcomes.put(u, o);
            if (u.member() == 0) {
                assertTrue(
                        o.keptRounds() > 0 && o.keptRounds() < 2000,
                        "stopped early: " + o.keptRounds());
                sum += o.keptRounds();
            }
        }
        assertEquals(Math.round(sum / 3.0), t.finalRounds(0, outcomes));
        assertEquals(
                0, t.finalRounds(1, outcomes), "b does not stop early: it keeps its own rounds");
    }
}
