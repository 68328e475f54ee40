package dev.byoe.training.member;

/** A hyperparameter that is unknown, malformed or out of range; the message says which and why. */
public class InvalidHyperparameterException extends IllegalArgumentException {
    public InvalidHyperparameterException(String message) {
        super(message);
    }

    public InvalidHyperparameterException(String name, String value, String problem) {
        super("hyperparameter " + name + "='" + value + "' " + problem);
    }
}
