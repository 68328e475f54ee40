package dev.byoe.formats;

/** A line or record that its format's reader cannot read; the message names which and why. */
public class FormatProblem extends RuntimeException {
    public FormatProblem(String message) {
        super(message, null, false, false);
    }
}
