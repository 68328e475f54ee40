/**
 * DeepLog (Du et al., CCS 2017): an LSTM predicts the next event from the previous {@code h}; a
 * session is anomalous when one of its events is not among the top-{@code g} predictions. DL4J
 * trains the network; serving runs the trained weights through {@link
 * dev.byoe.ensemble.anomaly.deeplog.LstmForward}, a small exact forward pass checked against DL4J.
 */
package dev.byoe.ensemble.anomaly.deeplog;
