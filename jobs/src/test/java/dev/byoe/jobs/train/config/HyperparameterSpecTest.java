package dev.byoe.jobs.train.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.byoe.core.data.Objective;
import dev.byoe.training.member.InvalidHyperparameterException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HyperparameterSpecTest {
    @Test
    void defaults() {
        HyperparameterSpec s = HyperparameterSpec.parse(Map.of(), w -> {});
        assertEquals(List.of("xgboost", "catboost"), s.members());
        assertEquals(Objective.REGRESSION, s.objective());
        assertEquals(5, s.kFold());
        assertEquals("0", s.targetColumn());
        assertEquals(100L, s.memberHyperparameters().get("catboost").get("num_round"));
        assertEquals(1.0, s.weights().get("xgboost"));
    }

    @Test
    void sharedValuesFlowToMembersAndPrefixedOnesOverride() {
        HyperparameterSpec s =
                HyperparameterSpec.parse(
                        Map.of(
                                "max_depth",
                                "8",
                                "eta",
                                "0.05",
                                "catboost.max_depth",
                                "4",
                                "xgboost.subsample",
                                "0.8",
                                "catboost.weight",
                                "2"),
                        w -> {});
        assertEquals(8L, s.memberHyperparameters().get("xgboost").get("max_depth"));
        assertEquals(4L, s.memberHyperparameters().get("catboost").get("max_depth"));
        assertEquals(0.05, s.memberHyperparameters().get("catboost").get("eta"));
        assertEquals(0.8, s.memberHyperparameters().get("xgboost").get("subsample"));
        assertEquals(2.0, s.weights().get("catboost"));
    }

    @Test
    void sageMakerExtrasAreAcceptedAndSdkQuotingUndone() {
        List<String> notes = new ArrayList<>();
        HyperparameterSpec s =
                HyperparameterSpec.parse(
                        Map.of(
                                "_tuning_objective_metric",
                                "validation:rmse",
                                "sagemaker_program",
                                "\"train.py\"",
                                "num_round",
                                "\"50\"",
                                "max_depth",
                                "6.0",
                                "members",
                                "xgboost",
                                "catboost.l2_leaf_reg",
                                "3"),
                        notes::add);
        assertEquals("validation:rmse", s.tuningObjectiveMetric());
        assertEquals(50L, s.memberHyperparameters().get("xgboost").get("num_round"));
        assertEquals(6L, s.memberHyperparameters().get("xgboost").get("max_depth"));
        assertEquals(List.of("xgboost"), s.members());
        assertTrue(notes.stream().anyMatch(n -> n.contains("sagemaker_program")), notes.toString());
        assertTrue(
                notes.stream()
                        .anyMatch(
                                n ->
                                        n.contains(
                                                "catboost.l2_leaf_reg: catboost is not in members")),
                notes.toString());
    }

    @Test
    void namedErrors() {
        assertMessage(Map.of("num_rounds", "5"), "unknown hyperparameter 'num_rounds'");
        assertMessage(Map.of("max_depth", "3.5"), "max_depth='3.5' must be an integer in [1, 32]");
        assertMessage(Map.of("eta", "NaN"), "eta='NaN' must be a finite number");
        assertMessage(Map.of("catboost.weight", "-1"), "catboost.weight='-1' is out of range");
        assertMessage(
                Map.of("xgboost.weight", "0", "catboost.weight", "0"), "weights are all zero");
        assertMessage(Map.of("members", " , "), "members is empty");
    }

    private static void assertMessage(Map<String, String> raw, String fragment) {
        InvalidHyperparameterException e =
                assertThrows(
                        InvalidHyperparameterException.class,
                        () -> HyperparameterSpec.parse(raw, w -> {}));
        assertTrue(e.getMessage().contains(fragment), e.getMessage());
    }
}
