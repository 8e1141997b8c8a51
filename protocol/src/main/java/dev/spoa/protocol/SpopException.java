package dev.spoa.protocol;

/**
 * The one error the codec raises for bad input: it carries the status code the agent answers with in
 * its AGENT-DISCONNECT (or HAProxy's side in its HAPROXY-DISCONNECT).
 *
 * <p>No stack trace is captured: malformed input is a peer's doing, can arrive at any rate, and the
 * detail message says where the frame went wrong.
 */
public class SpopException extends Exception {
    private static final long serialVersionUID = 1L;

    private final Status status;

    public SpopException(Status status, String detail) {
        super(detail, null, false, false);
        this.status = status;
    }

    /** The same error with the named element it happened in ("message \"check-ip\": ..."). */
    SpopException within(String element, String name) {
        return new SpopException(status, element + " " + WireReader.quote(name) + ": " + getMessage());
    }

    /** The status code to send in the DISCONNECT frame that ends the connection. */
    public Status status() {
        return status;
    }

    @Override
    public String toString() {
        return "SPOP status " + status.code() + " (" + status.reason() + "): " + getMessage();
    }
}
