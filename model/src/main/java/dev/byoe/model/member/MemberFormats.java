package dev.byoe.model.member;

import dev.byoe.model.catboost.CatBoostModel;
import dev.byoe.model.xgboost.XGBoostModel;
import java.util.List;
import java.util.Optional;

/**
 * Every tabular member format this build can serve. A manifest names its members' types; this is
 * the one place that turns such a stored name into a loader. Register a new member's format with
 * one line here (its trainer registers in the training module's {@code MemberRegistry}).
 */
public final class MemberFormats {
    private static final List<MemberFormat> FORMATS =
            List.of(XGBoostModel.FORMAT, CatBoostModel.FORMAT);

    private MemberFormats() {}

    public static List<MemberFormat> all() {
        return FORMATS;
    }

    public static Optional<MemberFormat> find(String name) {
        return FORMATS.stream().filter(f -> f.name().equals(name)).findFirst();
    }
}
