package dev.spoa.bench.load;

/**
 * Why a load run could not go on: the agent refused the connection or the HELLO, said
 * AGENT-DISCONNECT, closed the connection, or sent a frame HAProxy would reject. The message is
 * one line for the user; a failed run is reported, never hidden in the figures.
 */
public final class LoadFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public LoadFailure(String message) {
        super(message, null, false, false);
    }

    public LoadFailure(String message, Throwable cause) {
        super(message, cause, false, false);
    }
}
