/** The XGBoost member: XGBoost4J's native booster, saved as UBJSON. */
package dev.byoe.ensemble.xgboost;
