/**
 * CatBoost models: symmetric trees over numeric features walked in Java, anything else (categorical
 * counters, other tree shapes) scored in-process by catboost-prediction from the saved {@code
 * .cbm}.
 */
package dev.byoe.model.catboost;
