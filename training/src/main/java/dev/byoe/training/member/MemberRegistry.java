package dev.byoe.training.member;

import dev.byoe.training.catboost.CatBoostMember;
import dev.byoe.training.xgboost.XGBoostMember;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Every member type byoe knows, by name. Register a new member with one line here. */
public final class MemberRegistry {
    private static final List<MemberType> TYPES =
            List.of(new XGBoostMember(), new CatBoostMember());

    private MemberRegistry() {}

    public static List<MemberType> all() {
        return TYPES;
    }

    public static Optional<MemberType> find(String name) {
        return TYPES.stream().filter(t -> t.name().equals(name)).findFirst();
    }

    public static MemberType require(String name) {
        return find(name)
                .orElseThrow(
                        () ->
                                new InvalidHyperparameterException(
                                        "unknown member '"
                                                + name
                                                + "'; known members: "
                                                + names()));
    }

    public static List<String> names() {
        List<String> names = new ArrayList<>();
        for (MemberType t : TYPES) {
            names.add(t.name());
        }
        return names;
    }
}
