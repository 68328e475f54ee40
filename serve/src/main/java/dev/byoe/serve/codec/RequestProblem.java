package dev.byoe.serve.codec;

/**
 * A request body or media type the codecs cannot take, with what kind of problem it is and a
 * message for the caller. The codecs know nothing of HTTP: the server maps each kind to its status
 * ({@code http/InferenceServer}), and other readers (batch files, monitor datasets) can reuse the
 * codecs and report the message their own way.
 */
public class RequestProblem extends RuntimeException {
    /** What is wrong, in the terms a transport maps to its own codes. */
    public enum Kind {
        /** The body cannot be read as its format (a bad row, cell, token or document). */
        MALFORMED,
        /** The Content-Type, or its charset, is not one the codecs read. */
        UNSUPPORTED_TYPE,
        /** No format the Accept header allows can be written. */
        NOT_ACCEPTABLE,
        /** The body would expand past what one request may hold. */
        TOO_LARGE
    }

    private final Kind kind;

    public RequestProblem(Kind kind, String message) {
        super(message, null, false, false);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }

    public static RequestProblem malformed(String message) {
        return new RequestProblem(Kind.MALFORMED, message);
    }

    public static RequestProblem unsupportedType(String message) {
        return new RequestProblem(Kind.UNSUPPORTED_TYPE, message);
    }

    public static RequestProblem notAcceptable(String message) {
        return new RequestProblem(Kind.NOT_ACCEPTABLE, message);
    }

    public static RequestProblem tooLarge(String message) {
        return new RequestProblem(Kind.TOO_LARGE, message);
    }
}
