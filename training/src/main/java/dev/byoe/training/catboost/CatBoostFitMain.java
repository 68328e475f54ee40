package dev.byoe.training.catboost;

import ru.yandex.catboost.spark.catboost4j_spark.core.src.native_impl.TVector_TString;
import ru.yandex.catboost.spark.catboost4j_spark.core.src.native_impl.native_impl;

/**
 * Entry point of the child JVM that runs one CatBoost fit: the arguments are CatBoost's own
 * command-line {@code fit} options. Exit 0 on success, non-zero with the reason on stderr.
 */
public final class CatBoostFitMain {
    private CatBoostFitMain() {}

    public static void main(String[] args) {
        int code;
        try {
            code = native_impl.ModeFitImpl(new TVector_TString(args)) == 0 ? 0 : 3;
        } catch (Throwable t) {
            System.err.println("CatBoost error: " + t.getMessage());
            code = 2;
        }
        System.out.flush();
        System.err.flush();
        System.exit(code);
    }
}
