/**
 * Training DeepLog: distinct windows with their next-event distributions, a DL4J LSTM trained on
 * them with early stopping and checkpoints, and the weights handed to the model module's forward
 * pass.
 */
package dev.byoe.training.anomaly.deeplog;
