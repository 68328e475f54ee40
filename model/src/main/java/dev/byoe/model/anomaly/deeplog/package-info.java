/**
 * DeepLog scoring (Du et al., CCS 2017): a session is anomalous when one of its events is not among
 * the top-{@code g} next events the LSTM predicts from the previous {@code h}. Serving runs the
 * trained weights through {@link dev.byoe.model.anomaly.deeplog.LstmForward}, a small forward pass
 * that tests check against DL4J, in two forms that give the same bits: scalar, which answers from
 * the start, and with the Vector API, which takes over once it is compiled.
 */
package dev.byoe.model.anomaly.deeplog;
