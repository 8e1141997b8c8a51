package dev.spoa.supervisor;

/** Something found before any worker starts (script, socket, run dir): reported as one line, exit status 1. */
final class StartupException extends Exception {
    private static final long serialVersionUID = 1L;

    StartupException(String message, Throwable cause) {
        super(message, cause);
    }
}
