/**
 * DeepLog scoring (Du et al., CCS 2017): a session is anomalous when one of its events is not among
 * the top-{@code g} next events the LSTM predicts from the previous {@code h}. Serving runs the
 * trained weights through {@link dev.byoe.model.anomaly.deeplog.LstmForward}, a small exact forward
 * pass (scalar, or with the Vector API) that tests check against DL4J.
 */
package dev.byoe.model.anomaly.deeplog;
