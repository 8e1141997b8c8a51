package dev.spoa.supervisor.system;

/** The agent cannot run as it was asked to (user, group, socket owner or mode): reported as one line, and the agent does not start. */
public final class PrivilegeException extends Exception {
    private static final long serialVersionUID = 1L;

    PrivilegeException(String message) {
        super(message);
    }
}
