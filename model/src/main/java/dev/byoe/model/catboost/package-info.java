/** CatBoost models: the saved {@code .cbm} file scored in-process by catboost-prediction. */
package dev.byoe.model.catboost;
