package dev.byoe.model.member;

/** A member failed to train, load or predict; the message is meant for the user. */
public class MemberException extends Exception {
    public MemberException(String message) {
        super(message);
    }

    public MemberException(String message, Throwable cause) {
        super(message, cause);
    }
}
