/**
 * XGBoost models: XGBoost4J's booster saved as UBJSON, the category codes it was trained with, and
 * a Java walk of its trees that is checked against the native predictor on load.
 */
package dev.byoe.model.xgboost;
