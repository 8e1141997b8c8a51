package dev.spoa.supervisor.control;

/** A control command that cannot do its job; the message is one line for the operator. */
public final class ControlException extends Exception {
    private static final long serialVersionUID = 1L;

    public ControlException(String message) {
        super(message);
    }
}
