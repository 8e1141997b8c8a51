package dev.spoa.supervisor.dispatch;

/**
 * Where the ACK of a job goes: the connection its NOTIFY came from. Called from the result thread
 * (or the front's own thread for answers given at once), so implementations must be thread-safe.
 */
public interface AckSink {
    /** The encoded action list for the ACK of this stream-id/frame-id. */
    void deliver(long streamId, long frameId, byte[] actions);

    /** The front's number for the connection, which log lines about its frames carry. */
    long id();

    /** False once the connection is gone: its results are then dropped quietly. */
    boolean isOpen();
}
